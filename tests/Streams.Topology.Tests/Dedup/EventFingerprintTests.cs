using NUnit.Framework;
using Streams.Topology.Dedup;

namespace Streams.Topology.Tests.Dedup;

[TestFixture]
public sealed class EventFingerprintTests
{
    private const string Source = "mysql.general";
    private const string Origin = "db-1:/var/log/mysql/general.log";
    private const long Time = 1_795_450_414_074_633;
    private const string Content = "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'REDACTED'";

    // Golden values computed independently (Python hashlib over the same length-prefixed encoding):
    // a change here means every id already in Elasticsearch would stop matching.
    [TestCase(Source, Origin, Time, Content, "f6be96b62fee08775e9920a1ba1776a2")]
    [TestCase("", "", 0L, "", "10c7b76c881edd80616f48eefded8b9e")]
    [TestCase("laravel", "web-1", -1L, "é ✓ 日本", "e2f4f544fbbf725842cf5e9fca096905")]
    public void Id_matches_the_golden_value(string source, string origin, long micros, string content, string expected) =>
        Assert.That(EventFingerprint.Compute(source, origin, micros, content), Is.EqualTo(expected));

    [Test]
    public void Content_larger_than_the_stack_buffer_matches_its_golden_value() =>
        Assert.That(EventFingerprint.Compute("elb", "x", 1, new string('y', 5000)), Is.EqualTo("e9b6d648e161a66fdab0653846598d93"));

    [Test]
    public void Id_is_32_lowercase_hex_characters()
    {
        var id = EventFingerprint.Compute(Source, Origin, Time, Content);
        Assert.That(id, Does.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public void Same_fields_give_the_same_id_every_time() =>
        Assert.That(
            Enumerable.Range(0, 100).Select(_ => EventFingerprint.Compute(Source, Origin, Time, Content)).Distinct(),
            Has.Exactly(1).Items);

    [Test]
    public void Threads_hashing_at_once_each_get_the_golden_values()
    {
        // Each thread keeps its own hash state between calls; interleaved calls, large ones among them, must not mix.
        var wrong = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var ok = (i + thread) % 3 == 0
                    ? EventFingerprint.Compute("elb", "x", 1, new string('y', 5000)) == "e9b6d648e161a66fdab0653846598d93"
                    : EventFingerprint.Compute(Source, Origin, Time, Content) == "f6be96b62fee08775e9920a1ba1776a2";
                if (!ok)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });
        Assert.That(wrong, Is.Zero);
    }

    [Test]
    public void Changing_any_field_changes_the_id()
    {
        var baseline = EventFingerprint.Compute(Source, Origin, Time, Content);
        Assert.Multiple(() =>
        {
            Assert.That(EventFingerprint.Compute("mysql.slow", Origin, Time, Content), Is.Not.EqualTo(baseline));
            Assert.That(EventFingerprint.Compute(Source, "db-2:/var/log/mysql/general.log", Time, Content), Is.Not.EqualTo(baseline));
            Assert.That(EventFingerprint.Compute(Source, Origin, Time + 1, Content), Is.Not.EqualTo(baseline));
            Assert.That(EventFingerprint.Compute(Source, Origin, Time, Content + " "), Is.Not.EqualTo(baseline));
        });
    }

    [Test]
    public void Moving_characters_between_fields_changes_the_id()
    {
        // Without length prefixes ("ab", "c") and ("a", "bc") would hash the same bytes.
        Assert.Multiple(() =>
        {
            Assert.That(EventFingerprint.Compute("ab", "c", 0, "d"), Is.Not.EqualTo(EventFingerprint.Compute("a", "bc", 0, "d")));
            Assert.That(EventFingerprint.Compute("a", "b", 0, "cd"), Is.Not.EqualTo(EventFingerprint.Compute("a", "bc", 0, "d")));
            Assert.That(EventFingerprint.Compute("", "ab", 0, ""), Is.Not.EqualTo(EventFingerprint.Compute("ab", "", 0, "")));
        });
    }

    [Test]
    public void Random_distinct_inputs_give_distinct_ids()
    {
        var random = new Random(20261126);
        var inputs = new HashSet<(string, string, long, string)>();
        var ids = new HashSet<string>();
        for (var i = 0; i < 5000; i++)
        {
            var input = (RandomText(random), RandomText(random), random.NextInt64(), RandomText(random));
            if (inputs.Add(input))
            {
                Assert.That(ids.Add(EventFingerprint.Compute(input.Item1, input.Item2, input.Item3, input.Item4)), Is.True, $"collision for {input}");
            }
        }
    }

    [Test]
    public void DateTimeOffset_overload_uses_UTC_microseconds()
    {
        var local = new DateTimeOffset(2026, 11, 22, 17, 13, 34, TimeSpan.FromHours(1)).AddTicks(746_338);
        var utcMicros = EventFingerprint.ToUnixMicroseconds(local);
        Assert.Multiple(() =>
        {
            Assert.That(utcMicros, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 16, 13, 34, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000 + 74_633));
            Assert.That(EventFingerprint.Compute(Source, Origin, local, Content), Is.EqualTo(EventFingerprint.Compute(Source, Origin, utcMicros, Content)));
        });
    }

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 6)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next('a', 'e');
        }

        return new string(chars);
    }
}
