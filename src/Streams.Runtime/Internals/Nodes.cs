using Confluent.Kafka;
using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;

namespace Streams.Runtime.Internals;

internal abstract class NodeInstance(string name)
{
    public string Name { get; } = name;

    public List<NodeInstance> Children { get; } = [];

    public virtual void Init(StreamTask task)
    {
    }

    public virtual void Close()
    {
    }
}

/// <summary>A node that receives typed records from its parent.</summary>
internal abstract class InputNode<TKey, TValue>(string name) : NodeInstance(name)
{
    public abstract void Process(Record<TKey, TValue> record);
}

/// <summary>The entry point of raw records into a task.</summary>
internal abstract class SourceNode(string name) : NodeInstance(name)
{
    public abstract void ProcessRaw(ConsumeResult<byte[], byte[]> raw);
}

internal sealed class SourceNode<TKey, TValue>(
    string name,
    IDeserializer<TKey> keyDeserializer,
    IDeserializer<TValue> valueDeserializer,
    ITimestampExtractor<TKey, TValue>? extractor) : SourceNode(name)
{
    private InputNode<TKey, TValue>[] _children = [];
    private StreamTask _task = null!;

    public override void Init(StreamTask task)
    {
        _task = task;
        _children = Children.Cast<InputNode<TKey, TValue>>().ToArray();
    }

    /// <summary>Deserializes and forwards; a record that cannot be deserialized goes to the error handler.</summary>
    public override void ProcessRaw(ConsumeResult<byte[], byte[]> raw)
    {
        TKey key;
        TValue value;
        try
        {
            key = keyDeserializer.Deserialize(raw.Message.Key, raw.Message.Key is null, new SerializationContext(MessageComponentType.Key, raw.Topic, raw.Message.Headers));
            value = valueDeserializer.Deserialize(raw.Message.Value, raw.Message.Value is null, new SerializationContext(MessageComponentType.Value, raw.Topic, raw.Message.Headers));
        }
        catch (Exception ex)
        {
            _task.HandleError(ErrorStage.Deserialize, "record could not be deserialized: " + ex.Message, ex);
            return;
        }

        var timestamp = extractor?.Extract(key, value, raw.Message.Timestamp.UnixTimestampMs) ?? raw.Message.Timestamp.UnixTimestampMs;
        _task.ObserveTimestamp(timestamp);
        var record = new Record<TKey, TValue>(key, value, timestamp);
        foreach (var child in _children)
        {
            child.Process(record);
        }
    }
}

internal sealed class ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(string name, IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut> processor)
    : InputNode<TKeyIn, TValueIn>(name), IProcessorContext<TKeyOut, TValueOut>
{
    private InputNode<TKeyOut, TValueOut>[] _children = [];
    private StreamTask _task = null!;

    public string ApplicationId => _task.ApplicationId;

    public TaskId TaskId => _task.TaskId;

    public RecordOrigin? Origin => _task.Origin;

    public long StreamTime => _task.StreamTime;

    public long WallClockTime => _task.WallClockTime;

    public override void Init(StreamTask task)
    {
        _task = task;
        _children = Children.Cast<InputNode<TKeyOut, TValueOut>>().ToArray();
        processor.Init(this);
    }

    public override void Process(Record<TKeyIn, TValueIn> record) => processor.Process(record);

    public override void Close() => processor.Close();

    public void Forward(Record<TKeyOut, TValueOut> record)
    {
        foreach (var child in _children)
        {
            child.Process(record);
        }
    }

    public void Forward(Record<TKeyOut, TValueOut> record, string childName)
    {
        foreach (var child in _children)
        {
            if (child.Name == childName)
            {
                child.Process(record);
                return;
            }
        }

        throw new InvalidOperationException($"processor '{Name}' has no child named '{childName}'");
    }

    public TStore GetStateStore<TStore>(string name)
        where TStore : class, State.IStateStore => _task.GetStore<TStore>(Name, name);

    public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator) => _task.Schedule(interval, type, punctuator);

    public void DeadLetter(string stage, string reason, Exception? exception = null) => _task.DeadLetter(stage, reason, exception);

    public void RequestCommit() => _task.CommitRequested = true;
}

internal sealed class SinkNode<TKey, TValue>(
    string name,
    string? topic,
    Func<Record<TKey, TValue>, string>? topicExtractor,
    ISerializer<TKey> keySerializer,
    ISerializer<TValue> valueSerializer) : InputNode<TKey, TValue>(name)
{
    private readonly ISpanSerializer<TValue>? _lendingSerializer = valueSerializer as ISpanSerializer<TValue>;
    private StreamTask _task = null!;

    public override void Init(StreamTask task) => _task = task;

    public override void Process(Record<TKey, TValue> record)
    {
        var target = topic ?? topicExtractor!(record);
        var key = keySerializer.Serialize(record.Key, new SerializationContext(MessageComponentType.Key, target));
        var valueContext = new SerializationContext(MessageComponentType.Value, target);

        // A value the serializer can lend (Avro) is copied straight into the held output: no array of its own. The
        // key is serialized first, into an array, so nothing else writes the lent buffer before it is copied.
        if (_lendingSerializer is { } lending && lending.TrySerialize(record.Value, valueContext, out var lent))
        {
            _task.Collector.Send(target, null, key, lent, record.Timestamp, null);
            return;
        }

        var value = valueSerializer.Serialize(record.Value, valueContext);
        _task.Collector.Send(target, null, key, value, record.Timestamp, null);
    }
}
