using Confluent.Kafka;

namespace Streams.Bench.E2E;

/// <summary>
/// Produces raw records <c>[from, to)</c> while the topology runs, never more than <see cref="MaxLag"/> ahead of what
/// it has processed. librdkafka's mock broker keeps 5 MB a partition and silently deletes the oldest batches past that,
/// so a run of 1,000,000 records cannot be loaded before the topology starts; fed at the topology's pace with a
/// bounded lag, no record is deleted before it is read (a deleted record would keep the phase from ever reaching its
/// count, so a completed phase shows that none was).
/// </summary>
internal sealed class RawFeeder : IDisposable
{
    /// <summary>
    /// Records ahead of the topology at most: 50,000 over 4 topics × 6 partitions is about 2,100 records, under 1 MB,
    /// a partition (the raw records here average about 400 bytes), well inside the broker's 5 MB.
    /// </summary>
    public const long MaxLag = 50_000;

    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;
    private long _produced;

    /// <param name="processed">Raw records the topology has processed, of all records from 0 on.</param>
    public RawFeeder(string bootstrap, Workload workload, long from, long to, Func<long> processed)
    {
        _thread = new Thread(() =>
        {
            try
            {
                Feed(bootstrap, workload, from, to, processed);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
        })
        { IsBackground = true, Name = "raw-feeder" };
    }

    /// <summary>Records produced and acknowledged so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    public void Start() => _thread.Start();

    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException("feeding raw records failed", failure);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Feed(string bootstrap, Workload workload, long from, long to, Func<long> processed)
    {
        var config = Workload.RawProducer(bootstrap);

        // The lag bound keeps the queue small; this bounds it anyway, as the producer counts in the process's RSS.
        config.QueueBufferingMaxMessages = 20_000;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var now = DateTime.UtcNow;
        for (var i = from; i < to && !_stop.IsCancellationRequested; i++)
        {
            while (i - processed() > MaxLag && !_stop.IsCancellationRequested)
            {
                producer.Poll(TimeSpan.FromMilliseconds(2));
            }

            var r = workload.Next(i, now);
            while (true)
            {
                try
                {
                    producer.Produce(r.Topic, new Message<byte[], byte[]> { Key = r.Key, Value = r.Value, Timestamp = new Timestamp(now, TimestampType.CreateTime) }, report =>
                    {
                        if (!report.Error.IsError)
                        {
                            Interlocked.Increment(ref _produced);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }
}
