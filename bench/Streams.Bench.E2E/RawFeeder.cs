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

    private const long LagCheckEvery = 256;

    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;

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

    public void Start() => _thread.Start();

    /// <summary>CPU time the feeding thread took, once the feeding has ended.</summary>
    public TimeSpan? Cpu { get; private set; }

    /// <summary>Records fed, once the feeding has ended.</summary>
    public long Fed { get; private set; }

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

        // Batches of 100 ms. The embedded broker answers a fetch with one batch per partition, and finds it by walking
        // the partition's batches from the oldest it keeps: with the 20 ms batches this had, that walk was more than a
        // third of the broker's CPU, and the broker took 9% of the two cores during the topology phase (5% with
        // 100 ms). Producers on other machines batch as they like; the broker's cost is the embedded cluster's, not
        // the topology's.
        config.LingerMs = 100;

        // The lag bound keeps the queue small; this bounds it anyway, as the producer counts in the process's RSS. A
        // linger's worth at the ceiling's pace (about 15,000 records) fits.
        config.QueueBufferingMaxMessages = 30_000;

        // The feeder stands in for producers on other machines, so it takes as little of the two cores as it can: no
        // delivery reports (a record that never arrives keeps the phase from reaching its count, which fails the
        // run), and one message object for every record (the client copies what it needs).
        config.EnableDeliveryReports = false;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var message = new Message<byte[], byte[]>();
        var now = DateTime.UtcNow;
        var next = workload.At(now);
        message.Timestamp = new Timestamp(now, TimestampType.CreateTime);
        var i = from;
        for (; i < to && !_stop.IsCancellationRequested; i++)
        {
            // The processed count sums the engine's counters; asked once every so many records, the lag may pass
            // MaxLag by at most that many.
            while (i % LagCheckEvery == 0 && i - processed() > MaxLag && !_stop.IsCancellationRequested)
            {
                producer.Poll(TimeSpan.FromMilliseconds(2));
            }

            var r = next(i);
            while (true)
            {
                try
                {
                    message.Key = r.Key;
                    message.Value = r.Value;
                    producer.Produce(r.Topic, message);
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        Fed = i - from;
        Cpu = ThreadCpu.Current();
    }
}
