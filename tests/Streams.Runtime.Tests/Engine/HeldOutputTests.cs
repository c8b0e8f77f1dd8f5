using Confluent.Kafka;
using Streams.Runtime.Internals;

namespace Streams.Runtime.Tests.Engine;

[TestFixture]
public sealed class HeldOutputTests
{
    [Test]
    public void Held_records_come_back_in_order_with_their_own_equal_arrays_across_chunks()
    {
        var random = new Random(5);
        var held = new HeldOutput();
        var expected = new List<(string Topic, int? Partition, byte[]? Key, byte[]? Value, long Timestamp, Headers? Headers)>();

        // Enough bytes for several 1 MB chunks, with null, empty and over-a-quarter-chunk arrays among them.
        for (var i = 0; i < 6_000; i++)
        {
            byte[]? Bytes(int length)
            {
                if (length < 0)
                {
                    return null;
                }

                var bytes = new byte[length];
                random.NextBytes(bytes);
                return bytes;
            }

            var key = Bytes(i % 97 == 0 ? -1 : random.Next(0, 40));
            var value = Bytes(i % 89 == 0 ? -1 : i % 1_000 is 1 or 2 ? 300_000 : random.Next(0, 2_000));
            var headers = i % 50 == 0 ? new Headers { { "h", [(byte)i] } } : null;
            var record = ("t" + (i % 3), i % 5 == 0 ? null : (int?)(i % 4), key, value, 1_000L + i, headers);

            // Values come as arrays, or lent from a serializer's buffer (never null): a lent value is copied at once,
            // so the buffer is written over here, as the serializer's next record would.
            if (value is not null && i % 2 == 0)
            {
                expected.Add(record with { Item4 = value.ToArray() });
                held.Add(record.Item1, record.Item2, key, value.AsSpan(), record.Item5, headers);
                random.NextBytes(value);
            }
            else
            {
                expected.Add(record);
                held.Add(record.Item1, record.Item2, key, value, record.Item5, headers);
            }
        }

        Assert.That(held.Count, Is.EqualTo(expected.Count));
        Assert.That(held.Bytes, Is.EqualTo(expected.Sum(e => (e.Key?.Length ?? 0) + (e.Value?.Length ?? 0) + 64)));
        var records = held.Records().ToList();
        Assert.That(records, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < expected.Count; i++)
        {
            var actual = records[i];
            var e = expected[i];
            Assert.That(actual.Topic, Is.EqualTo(e.Topic), $"record {i}");
            Assert.That(actual.Partition, Is.EqualTo(e.Partition ?? Partition.Any.Value), $"record {i}");
            Assert.That(actual.Key, Is.EqualTo(e.Key), $"record {i}");
            Assert.That(actual.Value, Is.EqualTo(e.Value), $"record {i}");
            Assert.That(actual.Timestamp, Is.EqualTo(e.Timestamp), $"record {i}");
            Assert.That(actual.Headers, Is.SameAs(e.Headers), $"record {i}");
        }

        held.Clear();
        Assert.That((held.Count, held.Bytes, held.Records().Count()), Is.EqualTo((0, 0L, 0)));
        held.Add("t", 0, [1, 2], [3], 7, null);
        Assert.That(held.Records().Single().Value, Is.EqualTo(new byte[] { 3 }), "chunks are reused after a clear");
    }
}
