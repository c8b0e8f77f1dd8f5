using Confluent.Kafka;
using Streams.Runtime.Internals;
using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;
using Streams.Runtime.State;

namespace Streams.Runtime;

/// <summary>Declares sources, processors, stores and sinks, the way Kafka Streams' Processor API does.</summary>
public sealed class TopologyBuilder
{
    private readonly Dictionary<string, NodeDefinition> _nodes = new(StringComparer.Ordinal);
    private readonly List<NodeDefinition> _order = [];
    private readonly Dictionary<string, StoreBuilder> _stores = new(StringComparer.Ordinal);

    public TopologyBuilder AddSource<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde, params string[] topics) =>
        AddSource(name, keySerde.Deserializer, valueSerde.Deserializer, null, topics);

    public TopologyBuilder AddSource<TKey, TValue>(
        string name,
        IDeserializer<TKey> keyDeserializer,
        IDeserializer<TValue> valueDeserializer,
        ITimestampExtractor<TKey, TValue>? timestampExtractor,
        params string[] topics)
    {
        if (topics.Length == 0)
        {
            throw new ArgumentException($"source '{name}' names no topic", nameof(topics));
        }

        foreach (var topic in topics)
        {
            if (_order.OfType<ISourceDefinition>().Any(s => s.Topics.Contains(topic)))
            {
                throw new ArgumentException($"topic '{topic}' is already read by another source", nameof(topics));
            }
        }

        return Add(new SourceDefinition<TKey, TValue>(name, topics, keyDeserializer, valueDeserializer, timestampExtractor));
    }

    public TopologyBuilder AddProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
        string name,
        Func<IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>> supplier,
        params string[] parents) =>
        Add(new ProcessorDefinition<TKeyIn, TValueIn, TKeyOut, TValueOut>(name, supplier, parents));

    public TopologyBuilder AddSink<TKey, TValue>(string name, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde, params string[] parents) =>
        Add(new SinkDefinition<TKey, TValue>(name, topic, null, keySerde.Serializer, valueSerde.Serializer, parents));

    public TopologyBuilder AddSink<TKey, TValue>(string name, string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, params string[] parents) =>
        Add(new SinkDefinition<TKey, TValue>(name, topic, null, keySerializer, valueSerializer, parents));

    /// <summary>A sink whose topic is chosen per record.</summary>
    public TopologyBuilder AddSink<TKey, TValue>(
        string name,
        Func<Record<TKey, TValue>, string> topicExtractor,
        ISerializer<TKey> keySerializer,
        ISerializer<TValue> valueSerializer,
        params string[] parents) =>
        Add(new SinkDefinition<TKey, TValue>(name, null, topicExtractor, keySerializer, valueSerializer, parents));

    public TopologyBuilder AddStateStore(StoreBuilder store, params string[] processorNames)
    {
        if (!_stores.TryAdd(store.Name, store))
        {
            throw new ArgumentException($"store '{store.Name}' is already declared", nameof(store));
        }

        foreach (var processor in processorNames)
        {
            ConnectStore(store.Name, processor);
        }

        return this;
    }

    public TopologyBuilder ConnectProcessorAndStateStores(string processorName, params string[] storeNames)
    {
        foreach (var store in storeNames)
        {
            if (!_stores.ContainsKey(store))
            {
                throw new ArgumentException($"store '{store}' is not declared", nameof(storeNames));
            }

            ConnectStore(store, processorName);
        }

        return this;
    }

    public Topology Build()
    {
        if (!_order.Any(n => n.Kind == NodeKind.Source))
        {
            throw new InvalidOperationException("a topology needs at least one source");
        }

        return new Topology(_order.ToList(), _stores.Values.ToList());
    }

    private void ConnectStore(string store, string processor)
    {
        if (!_nodes.TryGetValue(processor, out var node) || node.Kind != NodeKind.Processor)
        {
            throw new ArgumentException($"store '{store}' connected to '{processor}', which is not a processor of this topology");
        }

        if (!node.Stores.Contains(store))
        {
            node.Stores.Add(store);
        }
    }

    private TopologyBuilder Add(NodeDefinition node)
    {
        if (string.IsNullOrWhiteSpace(node.Name))
        {
            throw new ArgumentException("a node needs a name");
        }

        if (_nodes.ContainsKey(node.Name))
        {
            throw new ArgumentException($"a node named '{node.Name}' already exists");
        }

        if (node.Kind != NodeKind.Source && node.Parents.Count == 0)
        {
            throw new ArgumentException($"'{node.Name}' needs at least one parent");
        }

        foreach (var parentName in node.Parents)
        {
            if (!_nodes.TryGetValue(parentName, out var parent))
            {
                throw new ArgumentException($"parent '{parentName}' of '{node.Name}' is not declared (declare parents first)");
            }

            if (parent.Kind == NodeKind.Sink)
            {
                throw new ArgumentException($"'{node.Name}' cannot be a child of sink '{parentName}'");
            }

            if (parent.OutKey != node.InKey || parent.OutValue != node.InValue)
            {
                throw new ArgumentException(
                    $"'{node.Name}' takes <{node.InKey?.Name}, {node.InValue?.Name}> but its parent '{parentName}' forwards <{parent.OutKey?.Name}, {parent.OutValue?.Name}>");
            }
        }

        _nodes.Add(node.Name, node);
        _order.Add(node);
        foreach (var parentName in node.Parents)
        {
            _nodes[parentName].Children.Add(node.Name);
        }

        return this;
    }
}
