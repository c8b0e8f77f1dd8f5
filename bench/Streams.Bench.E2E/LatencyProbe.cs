using System.Diagnostics;
using Avro;
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

    /// <summary>
    /// Reads event.ingested out of a curated record in Confluent's wire format (5-byte header, then Avro): skips the
    /// fields before it and stops there, so measuring costs the topology's two cores as little as possible.
    /// </summary>
    private sealed class IngestedReader(Avro.Schema schema)
    {
        private readonly RecordSchema _root = (RecordSchema)schema;

        public DateTime? Ingested(byte[] value)
        {
            var decoder = new BinaryDecoder(new MemoryStream(value, 5, value.Length - 5));
            foreach (var field in _root.Fields)
            {
                if (field.Name != "event")
                {
                    Skip(decoder, field.Schema);
                    continue;
                }

                foreach (var inner in ((RecordSchema)field.Schema).Fields)
                {
                    if (inner.Name != "ingested")
                    {
                        Skip(decoder, inner.Schema);
                        continue;
                    }

                    var branch = ((UnionSchema)inner.Schema).Schemas[decoder.ReadUnionIndex()];
                    return branch.Tag == Avro.Schema.Type.Null ? null : DateTime.UnixEpoch.AddMilliseconds(decoder.ReadLong());
                }
            }

            return null;
        }

        private static void Skip(BinaryDecoder decoder, Avro.Schema schema)
        {
            switch (schema)
            {
                case UnionSchema union:
                    Skip(decoder, union.Schemas[decoder.ReadUnionIndex()]);
                    break;
                case RecordSchema record:
                    foreach (var field in record.Fields)
                    {
                        Skip(decoder, field.Schema);
                    }

                    break;
                case LogicalSchema logical:
                    Skip(decoder, logical.BaseSchema);
                    break;
                case ArraySchema array:
                    for (var n = decoder.ReadArrayStart(); n != 0; n = decoder.ReadArrayNext())
                    {
                        for (var i = 0L; i < n; i++)
                        {
                            Skip(decoder, array.ItemSchema);
                        }
                    }

                    break;
                case MapSchema map:
                    for (var n = decoder.ReadMapStart(); n != 0; n = decoder.ReadMapNext())
                    {
                        for (var i = 0L; i < n; i++)
                        {
                            decoder.SkipString();
                            Skip(decoder, map.ValueSchema);
                        }
                    }

                    break;
                case FixedSchema fixedSchema:
                    decoder.SkipFixed(fixedSchema.Size);
                    break;
                case EnumSchema:
                    decoder.ReadEnum();
                    break;
                default:
                    SkipPrimitive(decoder, schema.Tag);
                    break;
            }
        }

        private static void SkipPrimitive(BinaryDecoder decoder, Avro.Schema.Type type)
        {
            switch (type)
            {
                case Avro.Schema.Type.Null:
                    break;
                case Avro.Schema.Type.Boolean:
                    decoder.ReadBoolean();
                    break;
                case Avro.Schema.Type.Int:
                case Avro.Schema.Type.Long:
                    decoder.ReadLong();
                    break;
                case Avro.Schema.Type.Float:
                    decoder.SkipFloat();
                    break;
                case Avro.Schema.Type.Double:
                    decoder.SkipDouble();
                    break;
                case Avro.Schema.Type.String:
                    decoder.SkipString();
                    break;
                case Avro.Schema.Type.Bytes:
                    decoder.SkipBytes();
                    break;
                default:
                    throw new NotSupportedException("cannot skip Avro type " + type);
            }
        }
    }
}

/// <summary>What the latency phase offered and measured, in milliseconds.</summary>
internal sealed record LatencyResult(long Sent, double OfferedPerSecond, int Samples, double P50Ms, double P99Ms, double MaxMs);
