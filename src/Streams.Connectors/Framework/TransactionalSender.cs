using Confluent.Kafka;
using Streams.Runtime;

namespace Streams.Connectors.Framework;

/// <summary>The connector's transactional producer: one call writes a batch and its dead letters, then its offsets, then commits.</summary>
internal sealed class TransactionalSender : IDisposable
{
    private readonly SourceConnectorOptions _options;
    private readonly IProducer<byte[], byte[]> _producer;
    private Exception? _deliveryError;
    private bool _transactionOpen;
    private TransactionCallHungException? _hung;

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
            TransactionCalls.InitTransactions(_producer, options.RequestTimeout);
        }
        catch (TransactionCallHungException ex)
        {
            TransactionCalls.DisposeWhenIdle(_producer, ex);
            throw;
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
            TransactionCalls.CommitTransaction(_producer, _options.RequestTimeout);
            _transactionOpen = false;
        }
        catch (TransactionCallHungException ex)
        {
            // Nothing more on this producer: the runner starts a new sender, whose InitTransactions fences this one.
            _hung = ex;
            throw;
        }
        catch
        {
            Abort();
            throw;
        }
    }

    public void Dispose() => TransactionCalls.DisposeWhenIdle(_producer, _hung);

    private void Abort()
    {
        if (!_transactionOpen)
        {
            return;
        }

        _transactionOpen = false;
        try
        {
            TransactionCalls.AbortTransaction(_producer, _options.RequestTimeout);
        }
        catch (KafkaException)
        {
            // A fenced or fatal producer cannot abort; the coordinator aborts its transaction on timeout.
        }
        catch (TransactionCallHungException ex)
        {
            _hung = ex;
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
