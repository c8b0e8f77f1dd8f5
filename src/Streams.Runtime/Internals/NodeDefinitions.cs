using Confluent.Kafka;
using Streams.Runtime.Processor;

namespace Streams.Runtime.Internals;

internal enum NodeKind
{
    Source,
    Processor,
    Sink,
}

/// <summary>A node as declared on the builder; each task instantiates it.</summary>
internal abstract class NodeDefinition(string name, NodeKind kind, IReadOnlyList<string> parents)
{
    public string Name { get; } = name;

    public NodeKind Kind { get; } = kind;

    public IReadOnlyList<string> Parents { get; } = parents;

    public List<string> Children { get; } = [];

    public List<string> Stores { get; } = [];

    public abstract Type? InKey { get; }

    public abstract Type? InValue { get; }

    public abstract Type? OutKey { get; }

    public abstract Type? OutValue { get; }

    public abstract NodeInstance CreateInstance();
}

internal sealed class ProcessorDefinition<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    string name,
    Func<IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>> supplier,
    IReadOnlyList<string> parents)
    : NodeDefinition(name, NodeKind.Processor, parents)
{
    public override Type? InKey => typeof(TKeyIn);

    public override Type? InValue => typeof(TValueIn);

    public override Type? OutKey => typeof(TKeyOut);

    public override Type? OutValue => typeof(TValueOut);

    public override NodeInstance CreateInstance() => new ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(Name, supplier());
}

internal interface ISinkDefinition
{
    string? Topic { get; }
}

internal sealed class SinkDefinition<TKey, TValue>(
    string name,
    string? topic,
    Func<Record<TKey, TValue>, string>? topicExtractor,
    ISerializer<TKey> keySerializer,
    ISerializer<TValue> valueSerializer,
    IReadOnlyList<string> parents)
    : NodeDefinition(name, NodeKind.Sink, parents), ISinkDefinition
{
    public string? Topic { get; } = topic;

    public override Type? InKey => typeof(TKey);

    public override Type? InValue => typeof(TValue);

    public override Type? OutKey => null;

    public override Type? OutValue => null;

    public override NodeInstance CreateInstance() => new SinkNode<TKey, TValue>(Name, Topic, topicExtractor, keySerializer, valueSerializer);
}

/// <summary>A source as the engine sees it: its topics, and a node that takes raw bytes.</summary>
internal interface ISourceDefinition
{
    string Name { get; }

    IReadOnlyList<string> Topics { get; }
}

internal sealed class SourceDefinition<TKey, TValue>(
    string name,
    IReadOnlyList<string> topics,
    IDeserializer<TKey> keyDeserializer,
    IDeserializer<TValue> valueDeserializer,
    ITimestampExtractor<TKey, TValue>? extractor)
    : NodeDefinition(name, NodeKind.Source, []), ISourceDefinition
{
    public IReadOnlyList<string> Topics { get; } = topics;

    public override Type? InKey => null;

    public override Type? InValue => null;

    public override Type? OutKey => typeof(TKey);

    public override Type? OutValue => typeof(TValue);

    public override NodeInstance CreateInstance() => new SourceNode<TKey, TValue>(Name, keyDeserializer, valueDeserializer, extractor);
}
