using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streams.Runtime.Processor;

namespace Streams.Runtime.Internals;

internal enum StreamThreadState
{
    Created,
    Running,
    PendingShutdown,
    Dead,
}

/// <summary>
/// One consumer, one (transactional) producer and the tasks of the partitions assigned to it. The loop polls,
/// processes, punctuates and commits; rebalances create and close tasks; task migration closes them dirty
/// and rejoins.
/// </summary>
internal sealed partial class StreamThread : IDisposable
{
    private const int MaxRecordsPerIteration = 2000;
    private const int MaxPendingRecords = 50_000;
    private const long MaxPendingBytes = 32L * 1024 * 1024;
    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly StreamsMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly string _name;
    private readonly string? _transactionalId;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<TopicPartition, StreamTask> _taskByPartition = [];

    // The partition of the last record and its task: records come in runs from one partition (a fetched batch), so
    // most records find their task here, without a TopicPartition made and hashed for each. Cleared whenever
    // _taskByPartition changes.
    private LastPartition? _last;
    private readonly Restorer _restorer;
    private readonly EndOffsets _endOffsets;
    private readonly PositionStore _positions;
    private readonly HashSet<TopicPartition> _toPause = [];

    // librdkafka keeps a partition paused through a rebalance: one paused while its task restored, revoked and
    // assigned again to a task with nothing to restore (its checkpoint at the changelog's end) would never be fetched.
    private readonly HashSet<TopicPartition> _toResume = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];

    // Records processed since the last commit began: what that commit covers, counted once it has committed.
    private long _processedSinceCommit;
    private readonly Stopwatch _sinceCommit = Stopwatch.StartNew();
    private readonly Stopwatch _sincePoll = Stopwatch.StartNew();
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly Stopwatch _sinceDescribed = Stopwatch.StartNew();
    private IConsumer<byte[], byte[]>? _consumer;
    private KafkaRecordCollector? _collector;
    private volatile string _step = "created";
    private volatile string _description = "not started";
    private volatile string _group = "group not seen yet";
    private Thread? _thread;
    private volatile bool _stopRequested;
    private bool _inDirtyClose;
    private bool _helpersDisposed;
    private Exception? _handlerFailure;

    public StreamThread(int index, string processId, Topology topology, StreamsConfig config, StreamsMetrics metrics, TimeProvider clock, ILogger log)
    {
        _topology = topology;
        _config = config;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _name = $"{config.ApplicationId}-{processId}-StreamThread-{index}";
        _transactionalId = config.ExactlyOnce ? $"{config.ApplicationId}-{processId}-{index}" : null;
        _endOffsets = new EndOffsets(config);
        _restorer = new Restorer(config, metrics, _endOffsets);
        _positions = new PositionStore(config);
    }

    public StreamThreadState State { get; private set; } = StreamThreadState.Created;

    private IConsumer<byte[], byte[]> Consumer => _consumer ?? throw new InvalidOperationException("the stream thread has no consumer");

    private KafkaRecordCollector Collector => _collector ?? throw new InvalidOperationException("the stream thread has no producer");

    public Exception? Failure { get; private set; }

    /// <summary>Assigned, every task restored and running.</summary>
    public bool IsReady
    {
        get
        {
            lock (_tasks)
            {
                return State == StreamThreadState.Running && HasAssignment && _tasks.Values.All(t => t.State == TaskState.Running);
            }
        }
    }

    public bool HasAssignment { get; private set; }

    /// <summary>Tasks assigned to this thread whose stores are still being rebuilt from their changelogs.</summary>
    public int RestoringTaskCount
    {
        get
        {
            lock (_tasks)
            {
                return _tasks.Values.Count(t => t.State == TaskState.Restoring);
            }
        }
    }

    /// <summary>Test hook: invoked before each record is processed (used to stall or kill a thread deliberately).</summary>
    public Action<ConsumeResult<byte[], byte[]>>? BeforeProcess { get; set; }

    public IReadOnlyCollection<TaskId> ActiveTasks
    {
        get
        {
            lock (_tasks)
            {
                return _tasks.Keys.ToList();
            }
        }
    }

    /// <summary>
    /// What the thread is doing, for an operator or a test that sees no progress: its state, the step it is in (a
    /// blocking call shows here), its tasks, the partitions it holds paused, and when it last polled and committed.
    /// The thread itself writes it (the step as it enters it, the rest once a second and after each rebalance), so
    /// reading it never races the loop.
    /// </summary>
    public string Describe() => $"{_name} [{State}, step {_step}] {_description}";

    public void Start()
    {
        _thread = new Thread(Run) { Name = _name, IsBackground = true };
        State = StreamThreadState.Running;
        _thread.Start();
    }

    public void RequestStop() => _stopRequested = true;

    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    /// <summary>
    /// Frees the restore consumer and the admin client once the thread has ended; a thread still closing past the
    /// close timeout frees them itself when it ends, rather than having them disposed under its feet.
    /// </summary>
    public void Dispose()
    {
        if (_thread is null || !_thread.IsAlive)
        {
            DisposeHelpers();
        }
    }

    private void DisposeHelpers()
    {
        lock (_restorer)
        {
            if (_helpersDisposed)
            {
                return;
            }

            _helpersDisposed = true;
            _restorer.Dispose();
            _endOffsets.Dispose();
        }
    }

    internal StreamTask? Task(TaskId id)
    {
        lock (_tasks)
        {
            return _tasks.GetValueOrDefault(id);
        }
    }

    private void Run()
    {
        try
        {
            var failures = 0;
            while (!_stopRequested)
            {
                try
                {
                    if (_consumer is null)
                    {
                        Step("creating clients");
                        CreateClients();
                        _paused.Clear();
                    }

                    Step("running");
                    RunOnce();
                    failures = 0;
                }
                catch (Exception ex) when (IsTaskMigration(ex) || ex is KafkaException)
                {
                    // Task migration, or clients that could not be (re)created while the cluster is unwell: close
                    // everything dirty and rejoin, backing off while it keeps failing; the thread never dies of it.
                    LogMigration(_log, _name, ex.Message);
                    _metrics.TaskMigrations.Increment(ex.GetType().Name);
                    Step("closing dirty: " + ex.Message);
                    CloseAbruptly();
                    Step("backing off");
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 << Math.Min(failures++, 6))));
                }
                catch (SimulatedCrashException)
                {
                    _metrics.TaskMigrations.Increment(nameof(SimulatedCrashException));
                    Crash();
                }
            }

            State = StreamThreadState.PendingShutdown;
            if (_consumer is not null)
            {
                CloseGracefully();
            }

            State = StreamThreadState.Dead;
            Step("stopped");
        }
        catch (Exception ex)
        {
            Failure = ex;
            LogFatal(_log, _name, ex);
            CloseAbruptly();
            State = StreamThreadState.Dead;
        }
        finally
        {
            if (_stopRequested)
            {
                DisposeHelpers();
            }
        }
    }

    private void RunOnce()
    {
        if (_sinceDescribed.Elapsed >= TimeSpan.FromSeconds(1))
        {
            RefreshDescription();
        }

        if (_restorer.Active)
        {
            foreach (var task in _restorer.RestoreSome(TimeSpan.FromMilliseconds(100)))
            {
                LogTaskRestored(_log, _name, task.TaskId.ToString());
                task.InitNodes();
                Resume(task.InputPartitions);
            }
        }

        var processed = 0;
        var timeout = _restorer.Active ? TimeSpan.Zero : TimeSpan.FromMilliseconds(50);
        while (processed < MaxRecordsPerIteration && !_stopRequested)
        {
            var record = Poll(processed == 0 ? timeout : TimeSpan.Zero);
            if (record is null)
            {
                break;
            }

            var last = _last;
            if (last is null || last.TopicPartition.Partition.Value != record.Partition.Value || !string.Equals(last.TopicPartition.Topic, record.Topic, StringComparison.Ordinal))
            {
                var tp = record.TopicPartition;
                last = _taskByPartition.TryGetValue(tp, out var found) ? new LastPartition(tp, found) : null;
                _last = last;
            }

            if (last is null)
            {
                continue;
            }

            var task = last.Task;

            if (task.State != TaskState.Running)
            {
                // Fetched before the pause took effect: rewind so the record is read again once restored.
                Consumer.Seek(record.TopicPartitionOffset);
                Pause([record.TopicPartition]);
                continue;
            }

            BeforeProcess?.Invoke(record);
            task.Process(record, last.TopicPartition);
            processed++;
            _processedSinceCommit++;
            if (task.CommitRequested || _sinceCommit.Elapsed >= _config.EffectiveCommitInterval
                || Collector.PendingCount >= MaxPendingRecords || Collector.PendingBytes >= MaxPendingBytes)
            {
                task.CommitRequested = true;
                break;
            }
        }

        foreach (var task in _tasks.Values)
        {
            if (task.State == TaskState.Running)
            {
                task.PunctuateWallClock();
            }
        }

        if (_sinceCommit.Elapsed >= _config.EffectiveCommitInterval || _tasks.Values.Any(t => t.CommitRequested))
        {
            Commit(overlap: _config.ExactlyOnce && _config.HoldOutput && _config.OverlapCommit);
        }
    }

    private ConsumeResult<byte[], byte[]>? Poll(TimeSpan timeout)
    {
        ConsumeResult<byte[], byte[]>? record;
        try
        {
            record = Consumer.Consume(timeout);
        }
        catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.Local_MaxPollExceeded)
        {
            throw new TaskMigratedException("max.poll.interval.ms was exceeded; partitions were reassigned", ex);
        }

        _sincePoll.Restart();
        if (_handlerFailure is { } failure)
        {
            _handlerFailure = null;
            throw failure is TaskMigratedException ? failure : new TaskMigratedException("rebalance handling failed: " + failure.Message, failure);
        }

        if (_toPause.Count > 0)
        {
            Pause(_toPause.ToList());
            _toPause.Clear();
        }

        if (_toResume.Count > 0)
        {
            Resume(_toResume.ToList());
            _toResume.Clear();
        }

        return record;
    }

    private void Pause(IReadOnlyCollection<TopicPartition> partitions)
    {
        Consumer.Pause(partitions);
        _paused.UnionWith(partitions);
    }

    private void Resume(IReadOnlyCollection<TopicPartition> partitions)
    {
        Consumer.Resume(partitions);
        _paused.ExceptWith(partitions);
    }

    private void RefreshDescription()
    {
        _sinceDescribed.Restart();
        var tasks = _tasks.Values.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        var assigned = _consumer?.Assignment.Count ?? 0;
        _description = $"assignment {(HasAssignment ? "yes" : "no")} ({assigned} partitions), tasks [{string.Join(", ", tasks)}], "
            + $"paused [{string.Join(", ", _paused.Select(LagLabel).Order(StringComparer.Ordinal))}], restoring {_restorer.Active}, "
            + $"last poll {_sincePoll.Elapsed.TotalSeconds:0.0}s ago, last commit {_sinceCommit.Elapsed.TotalSeconds:0.0}s ago; {_group}";
    }

    private void Step(string step) => _step = step;

    /// <summary>
    /// Commits every running task: offsets with the output in one transaction, or flush-then-commit. With
    /// <paramref name="overlap"/> the transaction is written and committed beside the processing that follows
    /// (<see cref="StreamsConfig.OverlapCommit"/>); otherwise, as on a rebalance or a close, this returns once it has
    /// committed. Either way a commit still in flight ends first, and its failure is this commit's.
    /// </summary>
    private void Commit(bool overlap = false)
    {
        Collector.CompleteCommit();

        // Batched changelog entries go into the transaction (or, at least once, out before the offsets).
        foreach (var task in _tasks.Values)
        {
            task.FlushLogs();
        }

        var offsets = CommittableOffsets();
        if (offsets.Count == 0 && Collector.PendingCount == 0 && !Collector.TransactionOpen)
        {
            _sinceCommit.Restart();
            return;
        }

        // A thread that stalled past the poll interval has lost its partitions even if nobody told it yet:
        // committing now would publish stale work next to its successor's.
        if (_sincePoll.Elapsed >= _config.MaxPollInterval)
        {
            throw new TaskMigratedException("the poll interval passed since the last poll; not committing stale offsets");
        }

        Step("committing");
        var started = Stopwatch.GetTimestamp();
        var covered = _processedSinceCommit;
        _processedSinceCommit = 0;
        if (_config.ExactlyOnce)
        {
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var collector = Collector;
            void WritePositions() => _positions.Write(collector, offsets, now);
            if (overlap)
            {
                collector.BeginCommit(offsets, Consumer.ConsumerGroupMetadata, _config.TransactionTimeout, WritePositions, Committed);
            }
            else
            {
                collector.CommitTransaction(offsets, Consumer.ConsumerGroupMetadata, _config.TransactionTimeout, WritePositions);
            }
        }
        else
        {
            Collector.Producer.Flush(_config.TransactionTimeout);
            Collector.ThrowIfSendFailed();
            if (offsets.Count > 0)
            {
                Consumer.Commit(offsets);
            }
        }

        foreach (var task in _tasks.Values)
        {
            task.Dirty = false;
            task.CommitRequested = false;
        }

        foreach (var o in offsets)
        {
            _committed[o.TopicPartition] = o.Offset.Value;
        }

        if (!overlap)
        {
            Committed();
        }

        RecordLagAndStoreSizes();
        _sinceCommit.Restart();

        // Counted once the transaction has committed: an overlapped commit counts itself, on its own thread.
        void Committed()
        {
            _metrics.Commits.Increment(_name);
            _metrics.RecordsCommitted.Increment(_name, covered);
            _metrics.CommitLatency.Observe(Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>After a commit: per input partition the committed position's distance from the end, per store its size.</summary>
    private void RecordLagAndStoreSizes()
    {
        foreach (var task in _tasks.Values.Where(t => t.State == TaskState.Running))
        {
            foreach (var tp in task.InputPartitions)
            {
                var end = Consumer.GetWatermarkOffsets(tp).High.Value;
                if (end >= 0 && _committed.TryGetValue(tp, out var committed))
                {
                    _metrics.ConsumerLag.Set(LagLabel(tp), Math.Max(0, end - committed));
                }
            }

            foreach (var store in task.Stores)
            {
                _metrics.StoreEntries.Set(StoreLabel(store.Name, task.TaskId), store.Inner.ApproximateCount);
            }
        }
    }

    private static string LagLabel(TopicPartition tp) => $"{tp.Topic}:{tp.Partition.Value}";

    private static string StoreLabel(string store, TaskId task) => $"{store}:{task}";

    /// <summary>
    /// The next offset per partition of every running task. The consumer's position is used when it is ahead of
    /// the last record processed: it has stepped over transaction markers, which a committed offset must count.
    /// </summary>
    private List<TopicPartitionOffset> CommittableOffsets()
    {
        var offsets = new List<TopicPartitionOffset>();
        foreach (var task in _tasks.Values)
        {
            if (task.State != TaskState.Running)
            {
                continue;
            }

            foreach (var tp in task.InputPartitions)
            {
                if (!_taskByPartition.ContainsKey(tp))
                {
                    continue;
                }

                var next = task.ConsumedOffsets.TryGetValue(tp, out var consumed) ? consumed : -1;
                try
                {
                    next = Math.Max(next, Consumer.Position(tp).Value);
                }
                catch (KafkaException)
                {
                    // No position yet for a partition that has not been fetched.
                }

                if (next >= 0 && (!_committed.TryGetValue(tp, out var previous) || previous != next))
                {
                    offsets.Add(new TopicPartitionOffset(tp, next));
                }
            }
        }

        return offsets;
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        var starts = partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)).ToList();
        if (_inDirtyClose)
        {
            // An assignment served while the consumer closes (librdkafka may still deliver one then) belongs to a
            // member that is leaving: no tasks for it, and no failure to carry over to the next consumer.
            return starts;
        }

        try
        {
            Step($"assigned {partitions.Count} partitions: reading positions");
            if (_config.ExactlyOnce && partitions.Count > 0)
            {
                var committed = _positions.ReadAll(TimeSpan.FromSeconds(30));
                starts = partitions.Select(p => new TopicPartitionOffset(p, committed.TryGetValue(p, out var o) ? new Offset(o) : Offset.Unset)).ToList();
            }

            foreach (var group in partitions.GroupBy(p => (Sub: _topology.TryGetSubtopology(p.Topic, out var s) ? s : -1, p.Partition.Value)))
            {
                if (group.Key.Sub < 0)
                {
                    continue;
                }

                var id = new TaskId(group.Key.Sub, group.Key.Value);
                if (!_tasks.TryGetValue(id, out var task))
                {
                    task = new StreamTask(id, _topology, _config, Collector, _clock, _metrics);
                    var restoreFrom = task.OpenStores();
                    lock (_tasks)
                    {
                        _tasks[id] = task;
                    }

                    if (restoreFrom.Count == 0)
                    {
                        task.InitNodes();
                    }
                    else
                    {
                        _restorer.Add(task, restoreFrom);
                    }

                    LogTaskCreated(_log, _name, id.ToString(), task.State.ToString());
                }

                _last = null;
                foreach (var tp in group)
                {
                    _taskByPartition[tp] = task;
                    if (task.State != TaskState.Running)
                    {
                        _toPause.Add(tp);
                    }
                    else
                    {
                        _toResume.Add(tp);
                    }
                }
            }

            // Only now: with no tasks yet, the thread would look ready (all of none running) to a health check.
            HasAssignment = true;
            Step("running");
            RefreshDescription();
        }
        catch (Exception ex)
        {
            _handlerFailure ??= ex;
        }

        return starts;
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        if (_inDirtyClose)
        {
            return;
        }

        try
        {
            var revoked = partitions.Select(p => _taskByPartition.GetValueOrDefault(p.TopicPartition)).OfType<StreamTask>().Distinct().ToList();
            if (revoked.Count == 0)
            {
                return;
            }

            // Everything processed so far is committed before the partitions move, so the next owner starts where we stopped.
            Step($"revoked {partitions.Count} partitions: committing");
            Commit();
            Step($"revoked {partitions.Count} partitions: closing {revoked.Count} tasks");
            CloseClean(revoked);
            RefreshDescription();
        }
        catch (Exception ex)
        {
            _handlerFailure ??= ex;
            _last = null;
            foreach (var tp in partitions)
            {
                if (_taskByPartition.Remove(tp.TopicPartition, out var task))
                {
                    RemoveTask(task, clean: false);
                }
            }
        }
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        if (_inDirtyClose)
        {
            return;
        }

        _handlerFailure ??= new TaskMigratedException($"partitions lost: {string.Join(", ", partitions.Select(p => p.TopicPartition))}");
    }

    private void CloseClean(IReadOnlyList<StreamTask> tasks)
    {
        // A task still restoring has not caught up with its changelog: a checkpoint at the changelog's end would have
        // its next owner on this instance skip the rest of the restore. It is closed dirty, and restored in full again.
        foreach (var task in tasks.Where(t => t.State != TaskState.Running))
        {
            RemoveTask(task, clean: false);
        }

        var running = tasks.Where(t => t.State == TaskState.Running).ToList();
        var ends = _endOffsets.High(running.SelectMany(t => t.ChangelogPartitions.Keys).ToList(), TimeSpan.FromSeconds(10));
        foreach (var task in running)
        {
            task.CloseClean(ends);
            RemoveTask(task, clean: true);
        }
    }

    private void RemoveTask(StreamTask task, bool clean)
    {
        if (!clean)
        {
            task.CloseDirty();
        }

        _restorer.Remove(task);
        lock (_tasks)
        {
            _tasks.Remove(task.TaskId);
        }

        _last = null;
        foreach (var tp in task.InputPartitions)
        {
            _taskByPartition.Remove(tp);
            _committed.Remove(tp);
            _metrics.ConsumerLag.Remove(LagLabel(tp));
        }

        foreach (var store in task.Stores)
        {
            _metrics.StoreEntries.Remove(StoreLabel(store.Name, task.TaskId));
        }
    }

    private void CreateClients()
    {
        var producerConfig = ClientConfigs.Producer(_config, _transactionalId);
        var producer = new ProducerBuilder<byte[], byte[]>(producerConfig)
            .SetLogHandler((_, m) => LogClient(_log, _name, m.Facility, m.Message))
            .Build();
        if (_config.ExactlyOnce)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                TransactionCalls.InitTransactions(producer, _config.TransactionTimeout);
            }
            catch (KafkaException)
            {
                producer.Dispose();
                throw;
            }
            catch (TransactionCallHungException ex)
            {
                TransactionCalls.DisposeWhenIdle(producer, ex);
                throw;
            }

            LogProducerReady(_log, _name, _transactionalId!, watch.ElapsedMilliseconds);
        }

        _group = "group not seen yet";
        _collector = new KafkaRecordCollector(producer, _config.ExactlyOnce, producerConfig.MessageMaxBytes ?? KafkaRecordCollector.DefaultMessageMaxBytes, _config.HoldOutput);
        _consumer = new ConsumerBuilder<byte[], byte[]>(ClientConfigs.MainConsumer(_config))
            .SetLogHandler((_, m) => LogClient(_log, _name, m.Facility, m.Message))
            .SetPartitionsAssignedHandler((_, p) => OnAssigned(p))
            .SetPartitionsRevokedHandler((_, p) => OnRevoked(p))
            .SetPartitionsLostHandler((_, p) => OnLost(p))
            .SetStatisticsHandler((_, json) => _group = GroupState.Describe(json) ?? _group)
            .Build();
        Consumer.Subscribe(_topology.SourceTopics);
        _sincePoll.Restart();
        _sinceCommit.Restart();
    }

    /// <summary>What a killed process leaves behind: an open transaction, uncommitted offsets, local state without a checkpoint.</summary>
    private void Crash()
    {
        _inDirtyClose = true;
        _processedSinceCommit = 0;
        foreach (var task in _tasks.Values.ToList())
        {
            RemoveTask(task, clean: false);
        }

        _toPause.Clear();
        _toResume.Clear();
        HasAssignment = false;
        _collector?.Abandon(abort: false);
        _collector?.DisposeProducer();
        _collector = null;
        _consumer?.Dispose();
        _consumer = null;
        _handlerFailure = null;
        _inDirtyClose = false;
    }

    private void CloseAbruptly()
    {
        _inDirtyClose = true;
        _processedSinceCommit = 0;
        try
        {
            _collector?.Abandon(abort: true);

            foreach (var task in _tasks.Values.ToList())
            {
                RemoveTask(task, clean: false);
            }

            _toPause.Clear();
            _toResume.Clear();
            HasAssignment = false;
            _collector?.DisposeProducer();
            _collector = null;
            if (_consumer is not null)
            {
                try
                {
                    Consumer.Close();
                }
                catch (KafkaException)
                {
                    // Leaving the group is a courtesy; the session timeout does the same.
                }

                Consumer.Dispose();
                _consumer = null;
            }
        }
        finally
        {
            // Whatever the closing consumer's callbacks reported belongs to it, not to the consumer that comes next.
            _handlerFailure = null;
            _inDirtyClose = false;
        }
    }

    private void CloseGracefully()
    {
        try
        {
            Step("closing: committing");
            Commit();
            Step("closing: closing tasks");
            CloseClean(_tasks.Values.Where(t => t.State == TaskState.Running).ToList());
        }
        catch (Exception ex) when (IsTaskMigration(ex) || ex is KafkaException)
        {
            // What could not be committed is closed dirty below and processed again by the next owner.
            LogMigration(_log, _name, "during close: " + ex.Message);
        }

        _inDirtyClose = true;
        foreach (var task in _tasks.Values.ToList())
        {
            RemoveTask(task, clean: false);
        }

        Step("closing: producer");
        if (Collector.Hung is null)
        {
            Collector.Producer.Flush(TimeSpan.FromSeconds(5));
        }

        Collector.DisposeProducer();
        Step("closing: leaving the group");
        try
        {
            Consumer.Close();
        }
        catch (KafkaException)
        {
        }

        Consumer.Dispose();
        _inDirtyClose = false;
    }

    private static bool IsTaskMigration(Exception ex) => ex switch
    {
        TaskMigratedException => true,
        TransactionCallHungException => true,
        KafkaTxnRequiresAbortException => true,
        KafkaRetriableException => true,
        KafkaException k => k.Error.IsFatal || k.Error.Code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced
            or ErrorCode.InvalidProducerEpoch or ErrorCode.InvalidTxnState or ErrorCode.TransactionCoordinatorFenced
            or ErrorCode.Local_State or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut or ErrorCode.Local_Transport
            or ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress
            or ErrorCode.FencedInstanceId or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Thread}: closing tasks dirty and rejoining: {Reason}")]
    private static partial void LogMigration(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Thread}: stopped by an unrecoverable error")]
    private static partial void LogFatal(ILogger logger, string thread, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Thread}: task {Task} created ({State})")]
    private static partial void LogTaskCreated(ILogger logger, string thread, string task, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Thread}: task {Task} restored")]
    private static partial void LogTaskRestored(ILogger logger, string thread, string task);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Thread}: transactional producer {TransactionalId} ready after {Millis} ms")]
    private static partial void LogProducerReady(ILogger logger, string thread, string transactionalId, long millis);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Thread}: librdkafka {Facility}: {Message}")]
    private static partial void LogClient(ILogger logger, string thread, string facility, string message);

    /// <summary>A partition's topic-partition (made once) and the task that owns it.</summary>
    private sealed record LastPartition(TopicPartition TopicPartition, StreamTask Task);
}
