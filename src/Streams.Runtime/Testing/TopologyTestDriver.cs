using Confluent.Kafka;
using Streams.Runtime.Internals;
using Streams.Runtime.Processor;
using Streams.Runtime.State;

namespace Streams.Runtime.Testing;

/// <summary>A record written by the topology, as a test reads it back.</summary>
public sealed record TestRecord(string Topic, byte[]? Key, byte[]? Value, long Timestamp, Headers Headers)
{
    public string? Header(string key) =>
        Headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}

/// <summary>
/// Pipes records through a topology with no broker, one partition per topic, as Kafka Streams' test-utils do.
/// Records written to a topic another sub-topology reads are fed to it, so repartition steps work too.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly Dictionary<int, StreamTask> _tasks = [];
    private readonly Dictionary<string, List<TestRecord>> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _inputOffsets = new(StringComparer.Ordinal);
    private readonly Queue<(string Topic, byte[]? Key, byte[]? Value, long Timestamp, Headers? Headers)> _pending = new();
    private readonly string _stateDir;
    private bool _processing;

    public TopologyTestDriver(Topology topology, StreamsConfig? config = null, DateTimeOffset? wallClockStart = null)
    {
        _topology = topology;
        _stateDir = Path.Combine(Path.GetTempPath(), "streams-ttd-" + Guid.NewGuid().ToString("N"));
        var effective = config ?? new StreamsConfig
        {
            ApplicationId = "test-driver",
            BootstrapServers = "test-driver:9092",
            DeserializationErrors = ErrorHandling.ContinueToDlq,
            ProcessingErrors = ErrorHandling.ContinueToDlq,
            DeadLetterTopic = "dlq.test-driver",
        };
        Config = new StreamsConfig
        {
            ApplicationId = effective.ApplicationId,
            BootstrapServers = effective.BootstrapServers,
            ProcessingGuarantee = effective.ProcessingGuarantee,
            DeserializationErrors = effective.DeserializationErrors,
            ProcessingErrors = effective.ProcessingErrors,
            DeadLetterTopic = effective.DeadLetterTopic,
            StateDir = _stateDir,
        };
        Clock = new ManualClock(wallClockStart ?? DateTimeOffset.UnixEpoch);
        var collector = new CapturingCollector(this);
        foreach (var sub in topology.Subtopologies)
        {
            var task = new StreamTask(new TaskId(sub.Id, 0), topology, Config, collector, Clock, Metrics);
            task.OpenStores();
            task.InitNodes();
            _tasks[sub.Id] = task;
        }
    }

    public StreamsConfig Config { get; }

    public ManualClock Clock { get; }

    public StreamsMetrics Metrics { get; } = new();

    public void PipeInput(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers = null)
    {
        if (!_topology.TryGetSubtopology(topic, out _))
        {
            throw new ArgumentException($"topic '{topic}' is not read by any source of the topology", nameof(topic));
        }

        _pending.Enqueue((topic, key, value, timestamp, headers));
        Drain();
    }

    public void PipeInput<TKey, TValue>(string topic, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, TKey key, TValue value, long timestamp) =>
        PipeInput(
            topic,
            keySerializer.Serialize(key, new SerializationContext(MessageComponentType.Key, topic)),
            valueSerializer.Serialize(value, new SerializationContext(MessageComponentType.Value, topic)),
            timestamp);

    /// <summary>Moves the wall clock and fires the wall-clock punctuations that became due.</summary>
    public void AdvanceWallClockTime(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var task in _tasks.Values)
        {
            task.PunctuateWallClock();
            task.FlushLogs();
        }

        Drain();
    }

    /// <summary>Everything written to <paramref name="topic"/> so far, oldest first (not consumed by reading).</summary>
    public IReadOnlyList<TestRecord> Output(string topic) =>
        _outputs.TryGetValue(topic, out var list) ? list : [];

    /// <summary>Reads and removes what was written to <paramref name="topic"/>.</summary>
    public List<TestRecord> ReadOutput(string topic)
    {
        if (!_outputs.Remove(topic, out var list))
        {
            return [];
        }

        return list;
    }

    public IReadOnlyCollection<string> OutputTopics => _outputs.Keys;

    public TStore GetStateStore<TStore>(string name)
        where TStore : class, IStateStore
    {
        foreach (var sub in _topology.Subtopologies)
        {
            if (sub.Stores.Contains(name))
            {
                return _tasks[sub.Id].Store(name) as TStore
                    ?? throw new InvalidOperationException($"store '{name}' is not a {typeof(TStore).Name}");
            }
        }

        throw new ArgumentException($"no store named '{name}'", nameof(name));
    }

    public void Dispose()
    {
        foreach (var task in _tasks.Values)
        {
            task.CloseDirty();
        }

        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    private void Drain()
    {
        if (_processing)
        {
            return;
        }

        _processing = true;
        try
        {
            while (_pending.TryDequeue(out var input))
            {
                _topology.TryGetSubtopology(input.Topic, out var sub);
                var offset = _inputOffsets.GetValueOrDefault(input.Topic);
                _inputOffsets[input.Topic] = offset + 1;
                var record = new ConsumeResult<byte[], byte[]>
                {
                    TopicPartitionOffset = new TopicPartitionOffset(input.Topic, 0, offset),
                    Message = new Message<byte[], byte[]>
                    {
                        Key = input.Key!,
                        Value = input.Value!,
                        Timestamp = new Timestamp(input.Timestamp, TimestampType.CreateTime),
                        Headers = input.Headers ?? [],
                    },
                };
                _tasks[sub].Process(record, record.TopicPartition);

                // The driver commits after each record, so batched changelog entries go out with it.
                _tasks[sub].FlushLogs();
            }
        }
        finally
        {
            _processing = false;
        }
    }

    private sealed class CapturingCollector(TopologyTestDriver driver) : IRecordCollector
    {
        public void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers)
        {
            // As a stream thread's producer would with its default message.max.bytes.
            Internals.KafkaRecordCollector.EnsureFits(topic, key, value, headers, Internals.KafkaRecordCollector.DefaultMessageMaxBytes);

            if (!driver._outputs.TryGetValue(topic, out var list))
            {
                driver._outputs[topic] = list = [];
            }

            // A batch of changelog entries is shown entry by entry, as each store write was logged.
            if (State.ChangelogBatch.IsBatch(headers))
            {
                foreach (var (entryKey, entryValue) in State.ChangelogBatch.Read(value ?? []))
                {
                    list.Add(new TestRecord(topic, entryKey, entryValue, timestamp, []));
                }

                return;
            }

            list.Add(new TestRecord(topic, key, value, timestamp, headers ?? []));
            if (driver._topology.TryGetSubtopology(topic, out _))
            {
                driver._pending.Enqueue((topic, key, value, timestamp, headers));
            }
        }
    }
}
