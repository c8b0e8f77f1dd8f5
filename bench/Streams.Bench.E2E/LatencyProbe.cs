using System.Diagnostics;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Streams.Contracts;

namespace Streams.Bench.E2E;

/// <summary>
/// End-to-end latency at a fixed offered load: a producer paces fresh raw records (ingested_at = record timestamp =
/// now), a read_committed consumer on curated.* takes the curated record's event.ingested and measures how long
/// until the record became visible, i.e. until the topology's transaction committed.
/// </summary>
internal static class LatencyProbe
{
    public static LatencyResult Run(string bootstrap, Workload workload, long firstRecord, int rate, TimeSpan duration, TimeSpan warmup)
    {
        var topics = SchemaCatalog.Sources.Select(s => s.CuratedTopic).ToList();
        var readers = SchemaCatalog.Sources.ToDictionary(s => s.CuratedTopic, s => new IngestedReader(s.CuratedSchema));
        var samples = new List<double>();
        var stop = new CancellationTokenSource();
        var measureFrom = DateTime.UtcNow + warmup;
        long seen = 0;
        var consumerThread = new Thread(() =>
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = "bench-latency",
                EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Latest,
                IsolationLevel = IsolationLevel.ReadCommitted,
                FetchWaitMaxMs = 5,
            }).Build();
            consumer.Subscribe(topics);
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(20));
                if (record is null)
                {
                    continue;
                }

                var now = DateTime.UtcNow;
                seen++;
                if (readers[record.Topic].Ingested(record.Message.Value) is { } ingested && ingested >= measureFrom)
                {
                    samples.Add((now - ingested).TotalMilliseconds);
                }
            }

            consumer.Close();
        })
        { IsBackground = true, Name = "latency-consumer" };
        consumerThread.Start();
        Thread.Sleep(3000); // the consumer joins its group and starts at the end of curated.*

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        var watch = Stopwatch.StartNew();
        long sent = 0;
        measureFrom = DateTime.UtcNow + warmup;
        while (watch.Elapsed < duration)
        {
            var due = (long)(watch.Elapsed.TotalSeconds * rate);
            while (sent < due)
            {
                var now = DateTime.UtcNow;
                var r = workload.Next(firstRecord + sent, now);
                producer.Produce(r.Topic, new Message<byte[], byte[]> { Key = r.Key, Value = r.Value, Timestamp = new Timestamp(now, TimestampType.CreateTime) });
                sent++;
            }

            Thread.Sleep(1);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        var offered = sent / watch.Elapsed.TotalSeconds;
        Thread.Sleep(3000); // the last records commit
        stop.Cancel();
        consumerThread.Join();
        samples.Sort();
        return new LatencyResult(sent, offered, samples.Count, Percentile(samples, 0.50), Percentile(samples, 0.99), samples.Count > 0 ? samples[^1] : double.NaN);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Reads event.ingested out of a curated record in Confluent's wire format (5-byte header, then Avro).</summary>
    private sealed class IngestedReader(Avro.Schema schema)
    {
        private readonly GenericDatumReader<GenericRecord> _reader = new(schema, schema);

        public DateTime? Ingested(byte[] value)
        {
            using var stream = new MemoryStream(value, 5, value.Length - 5);
            var record = _reader.Read(null!, new BinaryDecoder(stream));
            var ingested = ((GenericRecord)record["event"])["ingested"];
            return ingested switch
            {
                DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
                long ms => DateTime.UnixEpoch.AddMilliseconds(ms),
                _ => null,
            };
        }
    }
}

/// <summary>What the latency phase offered and measured, in milliseconds.</summary>
internal sealed record LatencyResult(long Sent, double OfferedPerSecond, int Samples, double P50Ms, double P99Ms, double MaxMs);
