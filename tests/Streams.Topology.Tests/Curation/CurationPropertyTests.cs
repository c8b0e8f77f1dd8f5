using CsCheck;
using NUnit.Framework;
using Streams.Topology.Curation;

namespace Streams.Topology.Tests.Curation;

/// <summary>Whatever arrives, the topology neither throws nor loses a record: each is curated, dead-lettered or a counted duplicate.</summary>
[TestFixture]
public sealed class CurationPropertyTests
{
    private static readonly (string Kind, string Line)[] RealLines =
    [
        .. Corpus.Lines("elb-alb.log").Select(l => ("elb", l)),
        .. Corpus.Lines("elb-classic.log").Select(l => ("elb", l)),
        .. Corpus.Lines("elb-nlb.log").Select(l => ("elb", l)),
        .. Corpus.Lines("mongodb-4.4-json.log").Select(l => ("mongodb", l)),
        .. Corpus.Lines("mongodb-3.2-legacy.log").Select(l => ("mongodb", l)),
        .. Corpus.Lines("laravel.log").Select(l => ("laravel", l)),
        .. Corpus.Lines("mysql-general-mariadb-10.11.log").Select(l => ("mysql-general", l)),
        .. Corpus.Lines("mysql-slowlog-mariadb-10.11.log").Select(l => ("mysql-slowlog", l)),
    ];

    private static readonly string[] Sources = ["elb", "mongodb", "laravel", "mysql"];

    [Test]
    public void Mutated_real_lines_are_each_curated_dead_lettered_or_counted_as_duplicates()
    {
        using var h = new CurationHarness();
        var mutation = Gen.Select(Gen.Int[0, RealLines.Length - 1], Gen.Int[0, 4096], Gen.Int[1, 4096], Gen.Char, Gen.Int[0, 2]);
        mutation.Sample(
            m =>
            {
                var (kind, line) = RealLines[m.Item1];
                var chars = line.ToCharArray();
                if (chars.Length > 0)
                {
                    chars[m.Item2 % chars.Length] = m.Item4;
                }

                var mutated = new string(chars);
                mutated = m.Item5 switch
                {
                    0 => mutated[..Math.Min(mutated.Length, m.Item3)],
                    1 => mutated + mutated[..Math.Min(mutated.Length, m.Item3 % 50)],
                    _ => mutated.Replace(' ', '\t'),
                };
                AssertAccounted(h, () =>
                {
                    var records = NativeText.Read(kind, mutated + "\n", "prop", DateTime.UnixEpoch).ToList();
                    foreach (var r in records)
                    {
                        h.Pipe(r);
                    }

                    return records.Count;
                });
            },
            iter: 400,
            threads: 1);
    }

    [Test]
    public void Arbitrary_bytes_on_a_raw_topic_are_dead_lettered_and_never_stop_the_topology()
    {
        using var h = new CurationHarness();
        Gen.Select(Gen.Int[0, Sources.Length - 1], Gen.Byte.Array[0, 512]).Sample(
            s => AssertAccounted(h, () =>
            {
                h.Driver.PipeInput("raw." + Sources[s.Item1], "k"u8.ToArray(), s.Item2, 1);
                return 1;
            }),
            iter: 300,
            threads: 1);
        Assert.That(h.DeadLetters, Has.Count.EqualTo(300), "no random bytes make a valid raw record");
    }

    private static void AssertAccounted(CurationHarness h, Func<int> pipe)
    {
        long Total() => Sources.Sum(s => h.Driver.Output("curated." + s).Count + h.Metrics.Duplicates[s]) + h.DeadLetters.Count;
        var before = Total();
        var piped = pipe();
        Assert.That(Total() - before, Is.EqualTo(piped), "each raw record is curated, dead-lettered or a counted duplicate");
    }
}
