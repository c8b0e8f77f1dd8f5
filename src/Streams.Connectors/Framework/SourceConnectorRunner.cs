using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Runtime;
using Streams.Runtime.Serdes;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Framework;

/// <summary>
/// Runs one source task with exactly-once delivery (KIP-618): each batch and its source offsets go out in one
/// transaction. Records are produced and acknowledged before the offsets are written, and the offsets before the
/// commit, as the engine does: the embedded cluster shows aborted records to read_committed readers, and this order
/// keeps a visible offset from ever pointing past records that were not written. Dead letters the task hands over go to
/// the dead-letter topic in the same transaction, so input is dead-lettered once or, after a crash, read again.
/// The runner owns the task and disposes it.
/// </summary>
public sealed class SourceConnectorRunner<TValue, TOffset> : IAsyncDisposable
    where TValue : ISpecificRecord
{
    /// <summary>The <c>__streams.errors.stage</c> of a connector's dead letters.</summary>
    public const string DeadLetterStage = "connect";

    /// <summary>How much of an oversized record its dead letter keeps.</summary>
    public const int OversizedBytesKept = DeadLetters.TruncatedBytesKept;

    private const int MaxConsecutiveFailures = 3;

    private readonly SourceConnectorOptions _options;
    private readonly ISourceTask<TValue, TOffset> _task;
    private readonly ILogger _logger;
    private readonly SourceOffsetStore<TOffset> _offsets;
    private readonly ISchemaRegistryClient _registry;
    private readonly Serde<TValue> _serde;
    private readonly CancellationTokenSource _stopping = new();
    private TransactionalSender? _sender;
    private Task? _loop;
    private long _committedRecords;
    private long _deadLetters;
    private bool _disposed;

    public SourceConnectorRunner(SourceConnectorOptions options, ISourceTask<TValue, TOffset> task, ILogger? logger = null)
    {
        _options = options.Validate();
        _task = task;
        _logger = logger ?? NullLogger.Instance;
        _offsets = new SourceOffsetStore<TOffset>(options);
        _registry = AvroSerdes.CreateRegistry(options.SchemaRegistry);
        _serde = AvroSerdes.Specific<TValue>(_registry, options.SchemaRegistry);
    }

    /// <summary>Records committed by this instance so far.</summary>
    public long CommittedRecords => Interlocked.Read(ref _committedRecords);

    /// <summary>Dead letters committed by this instance so far.</summary>
    public long CommittedDeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Completes when the runner stops; faults with the error that stopped it.</summary>
    public Task Completion => _loop ?? throw new InvalidOperationException("the runner has not been started");

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the runner has already been started");
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Lets the transaction in flight commit, then stops; rethrows what stopped the runner earlier.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Without a stop this is a crash: what was read but not committed is dropped, to be read again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "source connector {Name} had stopped with an error", _options.Name);
            }
        }

        _sender?.Dispose();
        _sender = null;
        await _task.DisposeAsync();
        _registry.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var open = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!open)
            {
                try
                {
                    await OpenAsync(cancellationToken);
                    open = true;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped while still reading the committed offsets: nothing was read, nothing to commit.
                    return;
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    // A broker down or a coordinator moving while the offsets are read or the producer starts.
                    if (++failures >= MaxConsecutiveFailures)
                    {
                        throw new SourceConnectorException($"source connector '{_options.Name}' could not start {failures} times in a row", ex);
                    }

                    _logger.LogWarning(ex, "source connector {Name}: could not read its offsets or start its producer; retrying", _options.Name);
                    if (!await BackOffAsync(failures, cancellationToken))
                    {
                        return;
                    }

                    continue;
                }
            }

            IReadOnlyList<SourceRecord<TValue, TOffset>> batch;
            IReadOnlyList<SourceDeadLetter<TOffset>> deadLetters;
            try
            {
                batch = await _task.PollAsync(_options.BatchSize, cancellationToken);
                deadLetters = _task.TakeDeadLetters();
                if (batch.Count == 0 && deadLetters.Count == 0)
                {
                    await Task.Delay(_options.PollInterval, cancellationToken);
                    continue;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                // Offsets come from the batch as read, oversized records included, so they never go backwards.
                var (records, oversized) = Serialize(batch);
                _sender!.Commit(records, OffsetRecords(batch, deadLetters), [.. DeadLetterRecords(deadLetters), .. oversized]);
                Interlocked.Add(ref _committedRecords, records.Count);
                Interlocked.Add(ref _deadLetters, deadLetters.Count + oversized.Count);
                failures = 0;
            }
            catch (KafkaException ex) when (ex.Error.Code is ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch or ErrorCode.Local_Fenced)
            {
                throw new SourceConnectorException($"source connector '{_options.Name}' was fenced: another instance with transactional id '{_options.TransactionalId}' took over", ex);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                if (++failures >= MaxConsecutiveFailures)
                {
                    throw new SourceConnectorException($"source connector '{_options.Name}' failed {failures} transactions in a row", ex);
                }

                // The task's position is past the failed batch: start over from what the topic says was committed.
                _logger.LogWarning(ex, "source connector {Name}: transaction failed; resuming from the committed offsets", _options.Name);
                open = false;
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex is KafkaException or TimeoutException or TransactionCallHungException;

    /// <summary>Waits 200 ms, 400 ms, 800 ms… after the n-th failure in a row; false when stopped meanwhile.</summary>
    private static async Task<bool> BackOffAsync(int failures, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100 << Math.Min(failures, 6)), cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        _sender?.Dispose();
        _sender = null;
        _sender = new TransactionalSender(_options);
        var committed = _offsets.ReadAll(cancellationToken);
        await _task.StartAsync(committed, cancellationToken);
    }

    /// <summary>
    /// The batch's records as messages, except those larger than max.record.bytes: Kafka would refuse them, and a
    /// refused record would fail every transaction from then on. Each goes to the dead-letter topic instead, with its
    /// size and its first bytes, in the same transaction.
    /// </summary>
    private (List<Message<byte[], byte[]>> Records, List<Message<byte[], byte[]>> Oversized) Serialize(IReadOnlyList<SourceRecord<TValue, TOffset>> batch)
    {
        var context = new SerializationContext(MessageComponentType.Value, _options.Topic);
        var records = new List<Message<byte[], byte[]>>(batch.Count);
        var oversized = new List<Message<byte[], byte[]>>();
        foreach (var r in batch)
        {
            var key = System.Text.Encoding.UTF8.GetBytes(r.Key);
            var value = _serde.Serializer.Serialize(r.Value, context);
            if (key.Length + value.Length <= _options.MaxRecordBytes)
            {
                records.Add(new Message<byte[], byte[]> { Key = key, Value = value });
                continue;
            }

            var kept = Math.Min(value.Length, OversizedBytesKept);
            oversized.Add(new Message<byte[], byte[]>
            {
                Key = key,
                Value = value[..kept],
                Headers = DeadLetters.Headers(
                    DeadLetterStage,
                    $"record of {key.Length + value.Length} bytes is larger than max.record.bytes ({_options.MaxRecordBytes}); its first {kept} bytes are kept",
                    null,
                    _options.Topic,
                    [new("connector", _options.Name), new("source.partition", r.SourcePartition), new("original.bytes", (key.Length + value.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)), new("truncated", "true")]),
            });
        }

        return (records, oversized);
    }

    private List<Message<byte[], byte[]>> DeadLetterRecords(IReadOnlyList<SourceDeadLetter<TOffset>> deadLetters) =>
        deadLetters.Select(d => new Message<byte[], byte[]>
        {
            Key = System.Text.Encoding.UTF8.GetBytes(d.Key),
            Value = d.Value,
            Headers = DeadLetters.Headers(
                DeadLetterStage,
                d.Reason,
                d.Exception,
                _options.Topic,
                [new("connector", _options.Name), new("source.partition", d.SourcePartition), .. d.Detail ?? []]),
        }).ToList();

    /// <summary>
    /// The last offset of each source partition in the batch: the batch is in source order, and a partition's dead
    /// letters come after its records.
    /// </summary>
    private List<Message<byte[], byte[]>> OffsetRecords(IReadOnlyList<SourceRecord<TValue, TOffset>> batch, IReadOnlyList<SourceDeadLetter<TOffset>> deadLetters)
    {
        var latest = new Dictionary<string, TOffset>(StringComparer.Ordinal);
        foreach (var r in batch)
        {
            latest[r.SourcePartition] = r.SourceOffset;
        }

        foreach (var d in deadLetters)
        {
            latest[d.SourcePartition] = d.SourceOffset;
        }

        return latest.Select(p => new Message<byte[], byte[]> { Key = _offsets.Key(p.Key), Value = SourceOffsetStore<TOffset>.Value(p.Value) }).ToList();
    }
}

/// <summary>A source connector cannot go on; the message says why.</summary>
public sealed class SourceConnectorException(string message, Exception? inner = null) : Exception(message, inner);
