using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Runtime.Internals;
using Streams.Runtime.Processor;

namespace Streams.Runtime;

public enum KafkaStreamsState
{
    Created,
    Rebalancing,
    Running,
    PendingShutdown,
    NotRunning,
    Error,
}

/// <summary>Runs a topology: <c>num.stream.threads</c> stream threads sharing the application's consumer group.</summary>
public sealed partial class KafkaStreams : IAsyncDisposable
{
    private readonly List<StreamThread> _threads = [];
    private readonly StreamsConfig _config;
    private readonly ILogger _log;
    private bool _started;
    private bool _closed;

    public KafkaStreams(Topology topology, StreamsConfig config, ILoggerFactory? loggerFactory = null, TimeProvider? clock = null)
    {
        config.Validate();
        _config = config;
        Topology = topology;
        var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KafkaStreams>();
        _log = log;
        ProcessId = LoadProcessId(config);
        for (var i = 0; i < config.NumStreamThreads; i++)
        {
            _threads.Add(new StreamThread(i + 1, ProcessId, topology, config, Metrics, clock ?? TimeProvider.System, log));
        }
    }

    public Topology Topology { get; }

    /// <summary>Stable across restarts with the same state directory, so transactional ids are too.</summary>
    public string ProcessId { get; }

    public StreamsMetrics Metrics { get; } = new();

    public KafkaStreamsState State
    {
        get
        {
            if (!_started)
            {
                return KafkaStreamsState.Created;
            }

            if (_threads.Any(t => t.Failure is not null))
            {
                return KafkaStreamsState.Error;
            }

            if (_threads.All(t => t.State == StreamThreadState.Dead))
            {
                return KafkaStreamsState.NotRunning;
            }

            if (_threads.Any(t => t.State == StreamThreadState.PendingShutdown))
            {
                return KafkaStreamsState.PendingShutdown;
            }

            return _threads.All(t => t.IsReady) ? KafkaStreamsState.Running : KafkaStreamsState.Rebalancing;
        }
    }

    /// <summary>Every thread assigned, restored and running: what /health/ready reports.</summary>
    public bool IsReady => State == KafkaStreamsState.Running;

    /// <summary>Assigned tasks still rebuilding their stores from the changelogs: while any is, the application is not ready.</summary>
    public int RestoringTasks => _threads.Sum(t => t.RestoringTaskCount);

    public Exception? Failure => _threads.Select(t => t.Failure).FirstOrDefault(f => f is not null);

    /// <summary>One line per stream thread: state, current step, tasks, paused partitions, last poll and commit.</summary>
    public string Describe() => string.Join(Environment.NewLine, DescribeThreads());

    /// <summary>
    /// Per stream thread: its state and step, assignment, tasks, paused partitions, last poll and commit, and the
    /// consumer group as its consumer last reported it (state, join step, rebalances and the last one's reason).
    /// </summary>
    public IReadOnlyList<string> DescribeThreads() => _threads.Select(t => t.Describe()).ToList();

    public IReadOnlyCollection<TaskId> ActiveTasks => _threads.SelectMany(t => t.ActiveTasks).ToList();

    /// <summary>The active tasks of each stream thread, in thread order: shows whether the work is spread over the threads.</summary>
    internal IReadOnlyList<IReadOnlyCollection<TaskId>> ActiveTasksPerThread => _threads.Select(t => t.ActiveTasks).ToList();

    /// <summary>Test hook: runs before each record on every thread (to stall or crash a thread on purpose).</summary>
    internal Action<Confluent.Kafka.ConsumeResult<byte[], byte[]>>? BeforeProcess
    {
        set
        {
            foreach (var t in _threads)
            {
                t.BeforeProcess = value;
            }
        }
    }

    public void Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("already started");
        }

        _started = true;
        foreach (var t in _threads)
        {
            t.Start();
        }
    }

    /// <summary>Finishes the open transactions, writes checkpoints and leaves the group, within the close timeout.</summary>
    public async Task CloseAsync(TimeSpan? timeout = null)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        foreach (var t in _threads)
        {
            t.RequestStop();
        }

        var limit = timeout ?? _config.CloseTimeout;
        await Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + limit;
            foreach (var t in _threads)
            {
                var left = deadline - DateTime.UtcNow;
                if (!t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    LogCloseTimedOut(_log, limit.TotalSeconds, t.Describe());
                }
            }
        });
        foreach (var t in _threads)
        {
            t.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    internal StreamTask? FindTask(TaskId id) => _threads.Select(t => t.Task(id)).FirstOrDefault(t => t is not null);

    private static string LoadProcessId(StreamsConfig config)
    {
        var dir = Path.Combine(config.StateDir, config.ApplicationId);
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "process-id");
        if (File.Exists(file))
        {
            var existing = File.ReadAllText(file).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        File.WriteAllText(file, id);
        return id;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "close timed out after {Seconds} s; the thread finishes closing in the background: {Thread}")]
    private static partial void LogCloseTimedOut(ILogger logger, double seconds, string thread);
}
