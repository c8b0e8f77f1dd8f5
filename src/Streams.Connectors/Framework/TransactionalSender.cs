using System.Diagnostics;
using Confluent.Kafka;

namespace Streams.Connectors.Framework;

/// <summary>The connector's transactional producer: one call writes a batch and its dead letters, then its offsets, then commits.</summary>
internal sealed class TransactionalSender : IDisposable
{
    private readonly SourceConnectorOptions _options;
    private readonly IProducer<byte[], byte[]> _producer;
    private Exception? _deliveryError;
    private bool _transactionOpen;

    public TransactionalSender(SourceConnectorOptions options)
    {
        _options = options;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            TransactionalId = options.TransactionalId,
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        _producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            _producer.InitTransactions(options.RequestTimeout);
        }
        catch
        {
            _producer.Dispose();
            throw;
        }
    }

    public void Commit(
        IReadOnlyList<Message<byte[], byte[]>> records,
        IReadOnlyList<Message<byte[], byte[]>> offsets,
        IReadOnlyList<Message<byte[], byte[]>>? deadLetters = null)
    {
        _deliveryError = null;
        try
        {
            _producer.BeginTransaction();
            _transactionOpen = true;
            foreach (var record in records)
            {
                Produce(_options.Topic, record);
            }

            foreach (var deadLetter in deadLetters ?? [])
            {
                Produce(_options.DeadLetterTopic, deadLetter);
            }

            FlushOrThrow();
            foreach (var offset in offsets)
            {
                Produce(_options.OffsetsTopic, offset);
            }

            FlushOrThrow();
            CommitWithRetries();
            _transactionOpen = false;
        }
        catch
        {
            Abort();
            throw;
        }
    }

    public void Dispose() => _producer.Dispose();

    private void CommitWithRetries()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _producer.CommitTransaction(_options.RequestTimeout);
                return;
            }
            catch (KafkaRetriableException) when (watch.Elapsed < _options.RequestTimeout * 3)
            {
                // The commit's outcome is unknown; calling it again is the documented way to learn it.
            }
        }
    }

    private void Abort()
    {
        if (!_transactionOpen)
        {
            return;
        }

        _transactionOpen = false;
        try
        {
            _producer.AbortTransaction(_options.RequestTimeout);
        }
        catch (KafkaException)
        {
            // A fenced or fatal producer cannot abort; the coordinator aborts its transaction on timeout.
        }
    }

    private void FlushOrThrow()
    {
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        while (_producer.Flush(TimeSpan.FromMilliseconds(100)) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"records not acknowledged within {_options.RequestTimeout}");
            }
        }

        if (Volatile.Read(ref _deliveryError) is { } error)
        {
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "a record was not delivered: " + error.Message), error);
        }
    }

    private void Produce(string topic, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, OnDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let librdkafka drain its queue, then try again.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _deliveryError, new KafkaException(report.Error), null);
        }
    }
}
