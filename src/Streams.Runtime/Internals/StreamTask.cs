using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime.Processor;
using Streams.Runtime.State;

namespace Streams.Runtime.Internals;

internal enum ErrorStage
{
    Deserialize,
    Process,
}

internal enum TaskState
{
    Restoring,
    Running,
    Closed,
}

/// <summary>
/// One partition of one sub-topology: its node instances, its stores and where it has got to.
/// It is also the context its nodes reach the engine through.
/// </summary>
internal sealed class StreamTask
{
    private readonly Dictionary<string, SourceNode> _sourceByTopic = new(StringComparer.Ordinal);

    // The source node of the last record's topic, found again only when the topic-partition object changes.
    private SourceNode? _lastSource;
    private string? _lastSourceTopic;
    private readonly List<NodeInstance> _nodes = [];
    private readonly Dictionary<string, StateStoreBase> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _storeAccess = new(StringComparer.Ordinal);
    private readonly List<Punctuation> _punctuations = [];
    private readonly StreamsConfig _config;
    private readonly TimeProvider _clock;
    private readonly string _label;
    private ConsumeResult<byte[], byte[]>? _current;

    public StreamTask(TaskId id, Topology topology, StreamsConfig config, IRecordCollector collector, TimeProvider clock, StreamsMetrics metrics)
    {
        TaskId = id;
        _label = id.ToString();
        _config = config;
        _clock = clock;
        Collector = collector;
        Metrics = metrics;
        var sub = topology.Subtopologies[id.Subtopology];
        InputPartitions = sub.SourceTopics.Select(t => new TopicPartition(t, id.Partition)).ToList();
        Directory = Path.Combine(config.StateDir, config.ApplicationId, id.ToString());

        var instances = new Dictionary<string, NodeInstance>(StringComparer.Ordinal);
        foreach (var name in sub.Nodes)
        {
            var def = topology.Node(name);
            var instance = def.CreateInstance();
            instances[name] = instance;
            _nodes.Add(instance);
            if (def is ISourceDefinition source)
            {
                foreach (var topic in source.Topics)
                {
                    _sourceByTopic[topic] = (SourceNode)instance;
                }
            }

            foreach (var store in def.Stores)
            {
                if (!_storeAccess.TryGetValue(store, out var users))
                {
                    _storeAccess[store] = users = new HashSet<string>(StringComparer.Ordinal);
                }

                users.Add(name);
            }
        }

        foreach (var name in sub.Nodes)
        {
            foreach (var child in topology.Node(name).Children)
            {
                instances[name].Children.Add(instances[child]);
            }
        }

        foreach (var storeName in sub.Stores)
        {
            var builder = topology.StoreBuilders[storeName];
            var store = builder.Build();
            _stores[storeName] = store;
            if (store.Logged)
            {
                ChangelogPartitions[new TopicPartition(Topology.ChangelogTopic(config.ApplicationId, storeName), id.Partition)] = store;
            }
        }
    }

    public TaskId TaskId { get; }

    public IReadOnlyList<TopicPartition> InputPartitions { get; }

    public string Directory { get; }

    public TaskState State { get; set; } = TaskState.Restoring;

    public IRecordCollector Collector { get; }

    public StreamsMetrics Metrics { get; }

    public string ApplicationId => _config.ApplicationId;

    public long StreamTime { get; private set; } = -1;

    public long WallClockTime => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public RecordOrigin? Origin => _current is null ? null : new RecordOrigin(_current.Topic, _current.Partition.Value, _current.Offset.Value);

    public bool CommitRequested { get; set; }

    /// <summary>Next offset to consume per input partition, for the commit.</summary>
    public Dictionary<TopicPartition, long> ConsumedOffsets { get; } = [];

    /// <summary>Offsets processed since the last commit.</summary>
    public bool Dirty { get; set; }

    public Dictionary<TopicPartition, StateStoreBase> ChangelogPartitions { get; } = [];

    private string CheckpointFile => Path.Combine(Directory, ".checkpoint");

    /// <summary>
    /// Opens the stores and returns where restoration of each changelog partition starts. Under exactly-once a
    /// missing checkpoint means the last close was dirty: the local state is wiped and rebuilt from the log.
    /// </summary>
    public Dictionary<TopicPartition, Offset> OpenStores()
    {
        var checkpoint = ReadCheckpoint();
        if (_config.ExactlyOnce && checkpoint is null && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(Directory);
        var starts = new Dictionary<TopicPartition, Offset>();
        foreach (var (name, store) in _stores)
        {
            var changelog = store.Logged ? Topology.ChangelogTopic(_config.ApplicationId, name) : null;
            store.Open(new StoreContext(Path.Combine(Directory, name), Collector, changelog, TaskId.Partition, CurrentTimestamp));
            if (changelog is not null)
            {
                var tp = new TopicPartition(changelog, TaskId.Partition);
                starts[tp] = store.Persistent && checkpoint is not null && checkpoint.TryGetValue(tp, out var from) ? new Offset(from) : Offset.Beginning;
            }
        }

        // From here on a crash must not leave a checkpoint claiming the store is clean.
        if (_config.ExactlyOnce && File.Exists(CheckpointFile))
        {
            File.Delete(CheckpointFile);
        }

        return starts;
    }

    public void InitNodes()
    {
        // Children first, so a processor's Init may already forward.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            _nodes[i].Init(this);
        }

        State = TaskState.Running;
    }

    /// <param name="record">The record, from one of this task's input partitions.</param>
    /// <param name="partition">Its topic-partition, which the caller keeps from record to record of one partition.</param>
    public void Process(ConsumeResult<byte[], byte[]> record, TopicPartition partition)
    {
        _current = record;
        if (!ReferenceEquals(partition.Topic, _lastSourceTopic))
        {
            _lastSource = _sourceByTopic[partition.Topic];
            _lastSourceTopic = partition.Topic;
        }

        try
        {
            _lastSource!.ProcessRaw(record);
        }
        catch (Exception ex) when (ex is StreamsException or TaskMigratedException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not KafkaException)
        {
            HandleError(ErrorStage.Process, $"processing failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            _current = null;
        }

        ConsumedOffsets[partition] = record.Offset.Value + 1;
        Dirty = true;
        Metrics.RecordsProcessed.Increment(_label);
        PunctuateStreamTime();
    }

    public void ObserveTimestamp(long timestamp)
    {
        if (timestamp > StreamTime)
        {
            StreamTime = timestamp;
        }
    }

    public void HandleError(ErrorStage stage, string reason, Exception ex)
    {
        var handling = stage == ErrorStage.Deserialize ? _config.DeserializationErrors : _config.ProcessingErrors;
        if (handling == ErrorHandling.Fail)
        {
            throw new StreamsException($"task {TaskId}: {reason} (at {Origin})", ex);
        }

        DeadLetter(stage == ErrorStage.Deserialize ? "deserialize" : "process", reason, ex);
    }

    public void DeadLetter(string stage, string reason, Exception? exception)
    {
        var raw = _current ?? throw new InvalidOperationException("DeadLetter is only possible while a record is being processed");
        var topic = _config.DeadLetterTopic
            ?? throw new StreamsConfigException(StreamsConfig.DeadLetterTopicKey, "is required to dead-letter records");
        var headers = DeadLetters.Headers(raw, stage, reason, exception);
        try
        {
            Collector.Send(topic, null, raw.Message.Key, raw.Message.Value, raw.Message.Timestamp.UnixTimestampMs, headers);
        }
        catch (RecordTooLargeException)
        {
            // The input with its error headers is over the producer's limit: its head is kept, and its size said.
            var value = raw.Message.Value ?? [];
            var kept = Math.Min(value.Length, DeadLetters.TruncatedBytesKept);
            var extra = new KeyValuePair<string, string?>[] { new("original.bytes", value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("truncated", "true") };
            Collector.Send(topic, null, raw.Message.Key, value[..kept], raw.Message.Timestamp.UnixTimestampMs, DeadLetters.Headers(raw, stage, reason, exception, extra));
        }

        Metrics.RecordsDeadLettered.Increment(stage);
    }

    public TStore GetStore<TStore>(string processor, string name)
        where TStore : class, IStateStore
    {
        if (!_storeAccess.TryGetValue(name, out var users) || !users.Contains(processor))
        {
            throw new InvalidOperationException($"processor '{processor}' has no access to store '{name}'; connect it in the topology");
        }

        return _stores[name] as TStore
            ?? throw new InvalidOperationException($"store '{name}' is a {_stores[name].GetType().Name}, not a {typeof(TStore).Name}");
    }

    public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> callback)
    {
        if (interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "a punctuation interval must be at least 1 ms");
        }

        var ms = (long)interval.TotalMilliseconds;
        var start = type == PunctuationType.WallClockTime ? WallClockTime : StreamTime;
        var punctuation = new Punctuation(type, ms, callback, start < 0 ? long.MinValue : start + ms, _punctuations);
        _punctuations.Add(punctuation);
        return punctuation;
    }

    /// <summary>Fires the wall-clock punctuations that are due; returns whether any fired.</summary>
    public bool PunctuateWallClock() => Punctuate(PunctuationType.WallClockTime, WallClockTime);

    public void PunctuateStreamTime() => Punctuate(PunctuationType.StreamTime, StreamTime);

    /// <summary>A clean close: processors closed, stores flushed and closed, the checkpoint written.</summary>
    public void CloseClean(IReadOnlyDictionary<TopicPartition, long> changelogEndOffsets)
    {
        if (State == TaskState.Closed)
        {
            return;
        }

        CloseNodes();
        foreach (var store in _stores.Values)
        {
            store.Close();
        }

        WriteCheckpoint(changelogEndOffsets);
        State = TaskState.Closed;
    }

    /// <summary>A dirty close: nothing flushed or checkpointed; under exactly-once the local state is wiped.</summary>
    public void CloseDirty()
    {
        if (State == TaskState.Closed)
        {
            return;
        }

        try
        {
            CloseNodes();
        }
        catch (Exception)
        {
            // A dirty close must finish whatever the processors do.
        }

        foreach (var store in _stores.Values)
        {
            store.CloseDirty();
        }

        if (_config.ExactlyOnce && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        State = TaskState.Closed;
    }

    internal IStateStore Store(string name) => _stores[name];

    /// <summary>The task's stores, for their sizes in the metrics.</summary>
    internal IEnumerable<StateStoreBase> Stores => _stores.Values;

    internal void RestoreRecord(TopicPartition changelog, byte[]? key, byte[]? value, Headers? headers = null)
    {
        if (key is not null)
        {
            ChangelogPartitions[changelog].RestoreRecord(key, value, headers);
        }
    }

    /// <summary>Sends each store's batched changelog entries: before a commit, into its transaction.</summary>
    public void FlushLogs()
    {
        foreach (var store in _stores.Values)
        {
            store.FlushLog();
        }
    }

    private long CurrentTimestamp() => _current?.Message.Timestamp.UnixTimestampMs ?? Math.Max(StreamTime, 0);

    private bool Punctuate(PunctuationType type, long now)
    {
        var fired = false;
        foreach (var p in _punctuations.ToArray())
        {
            if (p.Type != type || p.Cancelled)
            {
                continue;
            }

            if (p.Next == long.MinValue)
            {
                p.Next = now + p.Interval;
                continue;
            }

            if (now >= p.Next)
            {
                p.Callback(now);
                // Skip missed intervals rather than firing a burst, as Kafka Streams does.
                p.Next += ((now - p.Next) / p.Interval + 1) * p.Interval;
                fired = true;
            }
        }

        return fired;
    }

    private void CloseNodes()
    {
        foreach (var node in _nodes)
        {
            node.Close();
        }
    }

    private Dictionary<TopicPartition, long>? ReadCheckpoint()
    {
        if (!File.Exists(CheckpointFile))
        {
            return null;
        }

        var result = new Dictionary<TopicPartition, long>();
        foreach (var line in File.ReadAllLines(CheckpointFile))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition)
                && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset))
            {
                result[new TopicPartition(parts[0], partition)] = offset;
            }
        }

        return result;
    }

    private void WriteCheckpoint(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var tmp = CheckpointFile + ".tmp";
        File.WriteAllLines(tmp, offsets
            .Where(kv => ChangelogPartitions.ContainsKey(kv.Key) && ChangelogPartitions[kv.Key].Persistent)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key.Topic} {kv.Key.Partition.Value} {kv.Value}")));
        File.Move(tmp, CheckpointFile, overwrite: true);
    }

    private sealed class Punctuation(PunctuationType type, long interval, Action<long> callback, long next, List<Punctuation> owner) : IDisposable
    {
        public PunctuationType Type { get; } = type;

        public long Interval { get; } = interval;

        public Action<long> Callback { get; } = callback;

        public long Next { get; set; } = next;

        public bool Cancelled { get; private set; }

        public void Dispose()
        {
            Cancelled = true;
            owner.Remove(this);
        }
    }
}

/// <summary>A failure the engine will not carry on from (a handler set to fail, a broken topology).</summary>
public sealed class StreamsException(string message, Exception? inner = null) : Exception(message, inner);
