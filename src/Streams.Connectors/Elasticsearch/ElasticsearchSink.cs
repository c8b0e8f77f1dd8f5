using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Runtime;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Reads curated topics and writes each record as a document to an <see cref="IIndexTarget"/>, at least once:
/// a partition's offset is committed only past records that are written (or already there) or dead-lettered, so a
/// crash replays the rest and op_type create makes the replay write nothing twice. A record the renderer throws on,
/// or that Elasticsearch refuses for good, goes to the dead-letter topic with its original bytes and the error in
/// headers. A renderer returning null means "nothing to index" and the record simply counts as done.
/// </summary>
public sealed class ElasticsearchSink : IAsyncDisposable
{
    private readonly ElasticsearchSinkOptions _options;
    private readonly IIndexTarget _target;
    private readonly Func<ConsumeResult<byte[], byte[]>, SinkDocument?> _render;
    private readonly ILogger _logger;
    private readonly PartitionProgress _progress = new();
    private readonly ConcurrentQueue<(TopicPartitionOffset Position, Error Error)> _deadLetterDeliveries = new();
    private long _written;
    private long _deadLettered;
    private int _recordsInFlight;
    private int _assignedPartitions;
    private bool _paused;

    public ElasticsearchSink(
        ElasticsearchSinkOptions options,
        IIndexTarget target,
        Func<ConsumeResult<byte[], byte[]>, SinkDocument?> render,
        ILogger<ElasticsearchSink>? logger = null)
    {
        options.Validate();
        _options = options;
        _target = target;
        _render = render;
        _logger = logger ?? NullLogger<ElasticsearchSink>.Instance;
    }

    /// <summary>Documents written or found already written, this run.</summary>
    public long DocumentsWritten => Interlocked.Read(ref _written);

    /// <summary>Records sent to the dead-letter topic, this run.</summary>
    public long RecordsDeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Records read and not yet finished, as of the last loop turn.</summary>
    public int RecordsInFlight => Volatile.Read(ref _recordsInFlight);

    /// <summary>
    /// Raised on the sink's loop right after Kafka accepted a commit, with the offsets committed (the next record to read
    /// per partition). For monitoring and tests; a handler must be quick and must not throw.
    /// </summary>
    public event Action<IReadOnlyList<TopicPartitionOffset>>? OffsetsCommitted;

    /// <summary>Partitions the consumer owned at the last commit; zero before the first assignment and after the close.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assignedPartitions);

    /// <summary>Per input partition, records between the committed position and the end, as of the last commit.</summary>
    public LabelledGauge ConsumerLag { get; } = new("sink_consumer_lag", "Records between the committed position and the end of a curated partition, by topic:partition");

    /// <summary>Runs until <paramref name="stoppingToken"/> fires, then flushes (up to CloseTimeout), commits and closes.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => RunLoopAsync(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>Disposes the target; call after <see cref="RunAsync"/> has returned.</summary>
    public ValueTask DisposeAsync() => _target.DisposeAsync();

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        using var producer = BuildProducer();
        using var consumer = BuildConsumer();
        consumer.Subscribe(_options.Topics);
        var lastCommit = Stopwatch.GetTimestamp();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Consume blocks its thread; a short timeout keeps results, back-pressure and commits flowing.
                var record = consumer.Consume(TimeSpan.FromMilliseconds(20));
                if (record is not null && !record.IsPartitionEOF)
                {
                    await StartAsync(record, producer, stoppingToken);
                }

                HandleResults(producer);
                ApplyBackPressure(consumer);
                if (Stopwatch.GetElapsedTime(lastCommit) >= _options.CommitInterval)
                {
                    Commit(consumer, null);
                    RecordLag(consumer);
                    lastCommit = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A stop while waiting for room in the target.
        }

        await StopAsync(consumer, producer);
    }

    private async Task StopAsync(IConsumer<byte[], byte[]> consumer, IProducer<byte[], byte[]> producer)
    {
        using var close = new CancellationTokenSource(_options.CloseTimeout);
        try
        {
            await _target.FlushAsync(close.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Stopping with {Outstanding} documents unacknowledged after {Timeout}; they will be read again", _progress.Outstanding, _options.CloseTimeout);
        }

        HandleResults(producer);
        producer.Flush(TimeSpan.FromSeconds(Math.Max(1, _options.CloseTimeout.TotalSeconds)));
        HandleResults(producer);
        Commit(consumer, null);
        consumer.Close();
        Volatile.Write(ref _assignedPartitions, 0);
    }

    private void RecordLag(IConsumer<byte[], byte[]> consumer)
    {
        var assignment = consumer.Assignment;
        Volatile.Write(ref _assignedPartitions, assignment.Count);
        foreach (var old in ConsumerLag.Snapshot().Keys.Where(k => !assignment.Any(tp => LagLabel(tp) == k)))
        {
            ConsumerLag.Remove(old);
        }

        foreach (var tp in assignment)
        {
            var end = consumer.GetWatermarkOffsets(tp).High.Value;
            var committed = _progress.CommittedOffset(tp);
            if (committed < 0)
            {
                // Nothing committed by this member yet: the position read so far stands in for it.
                committed = consumer.Position(tp).Value;
            }

            if (end >= 0 && committed >= 0)
            {
                ConsumerLag.Set(LagLabel(tp), Math.Max(0, end - committed));
            }
        }
    }

    private static string LagLabel(TopicPartition tp) => $"{tp.Topic}:{tp.Partition.Value}";

    // Pausing instead of blocking keeps Consume (and so group membership) going while Elasticsearch is slow.
    private void ApplyBackPressure(IConsumer<byte[], byte[]> consumer)
    {
        var inFlight = _progress.Outstanding;
        Volatile.Write(ref _recordsInFlight, inFlight);
        if (inFlight >= _options.MaxRecordsInFlight)
        {
            if (!_paused)
            {
                _logger.LogInformation("Pausing consumption: {InFlight} records unfinished", inFlight);
            }

            // Every turn, so partitions assigned meanwhile are paused too.
            consumer.Pause(consumer.Assignment);
            _paused = true;
        }
        else if (_paused && inFlight <= _options.MaxRecordsInFlight / 2)
        {
            consumer.Resume(consumer.Assignment);
            _paused = false;
        }
    }

    // Not async: the NDJSON target and a BulkIndexer with room complete at once, so most records cost no state machine.
    private ValueTask StartAsync(ConsumeResult<byte[], byte[]> record, IProducer<byte[], byte[]> producer, CancellationToken ct)
    {
        _progress.Started(record.Topic, record.Partition, record.Offset);
        SinkDocument? document;
        try
        {
            document = _render(record);
        }
        catch (Exception ex)
        {
            DeadLetter(producer, record, $"rendering the document failed: {ex.Message}", ex, null, null);
            return ValueTask.CompletedTask;
        }

        if (document is null)
        {
            _progress.Finished(record.Topic, record.Partition, record.Offset);
            return ValueTask.CompletedTask;
        }

        return _target.AddAsync(new IndexRequest(document.Index, document.Id, document.Json, record), ct);
    }

    private void HandleResults(IProducer<byte[], byte[]> producer)
    {
        while (_target.Results.TryRead(out var result))
        {
            var record = (ConsumeResult<byte[], byte[]>)result.Request.Tag!;
            if (result.IsWritten)
            {
                Interlocked.Increment(ref _written);
                _progress.Finished(record.Topic, record.Partition, record.Offset);
            }
            else
            {
                var reason = $"Elasticsearch refused the document: {result.ErrorType}: {result.ErrorReason}";
                DeadLetter(producer, record, reason, null, result.ErrorType, result.ErrorReason);
            }
        }

        if (_target.Results.Completion.IsFaulted)
        {
            throw new InvalidOperationException("the Elasticsearch target failed; nothing past the last commit is acknowledged", _target.Results.Completion.Exception?.InnerException);
        }

        while (_deadLetterDeliveries.TryDequeue(out var delivery))
        {
            if (delivery.Error.IsError)
            {
                throw new KafkaException(delivery.Error);
            }

            Interlocked.Increment(ref _deadLettered);
            _progress.Finished(delivery.Position.TopicPartition, delivery.Position.Offset);
        }
    }

    // The record counts as done only once the dead letter is acknowledged by Kafka.
    private void DeadLetter(IProducer<byte[], byte[]> producer, ConsumeResult<byte[], byte[]> record, string reason, Exception? exception, string? esType, string? esReason)
    {
        _logger.LogWarning("Dead-lettering {Topic}/{Partition}@{Offset}: {Reason}", record.Topic, record.Partition.Value, record.Offset.Value, reason);
        var message = new Message<byte[], byte[]>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Timestamp = record.Message.Timestamp,
            Headers = DeadLetterHeaders.For(record, reason, exception, esType, esReason),
        };
        var position = record.TopicPartitionOffset;
        producer.Produce(_options.DeadLetterTopic, message, report => _deadLetterDeliveries.Enqueue((position, report.Error)));
    }

    private void Commit(IConsumer<byte[], byte[]> consumer, IEnumerable<TopicPartition>? only)
    {
        var offsets = _progress.Committable(only);
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
            _progress.Committed(offsets);
            OffsetsCommitted?.Invoke(offsets);
        }
        catch (KafkaException ex)
        {
            // E.g. a rebalance in progress: the same positions are tried again at the next commit.
            _logger.LogWarning(ex, "Committing {Offsets} failed", string.Join(", ", offsets));
        }
    }

    private IConsumer<byte[], byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig(ClientSettingsFor("consumer."))
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.GroupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        return new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, m) => _logger.LogDebug("librdkafka consumer {Facility}: {Message}", m.Facility, m.Message))
            .SetPartitionsRevokedHandler((c, revoked) =>
            {
                // Commit what is finished before another member takes over; late results for these partitions are dropped.
                var partitions = revoked.Select(p => p.TopicPartition).ToList();
                Commit(c, partitions);
                partitions.ForEach(_progress.Forget);
            })
            .SetPartitionsLostHandler((_, lost) => lost.ForEach(p => _progress.Forget(p.TopicPartition)))
            .Build();
    }

    // Unprefixed settings go to both clients; "consumer."/"producer." ones to one, as in StreamsConfig.
    private Dictionary<string, string> ClientSettingsFor(string prefix)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _options.ClientSettings.Where(kv => !kv.Key.StartsWith("consumer.", StringComparison.Ordinal) && !kv.Key.StartsWith("producer.", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in _options.ClientSettings.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            settings[key[prefix.Length..]] = value;
        }

        return settings;
    }

    private IProducer<byte[], byte[]> BuildProducer()
    {
        var config = new ProducerConfig(ClientSettingsFor("producer."))
        {
            BootstrapServers = _options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, m) => _logger.LogDebug("librdkafka producer {Facility}: {Message}", m.Facility, m.Message))
            .Build();
    }
}
