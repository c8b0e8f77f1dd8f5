using NUnit.Framework;
using Streams.Topology.Mongodb;
using Streams.Topology.Tests.Elb;

namespace Streams.Topology.Tests.Mongodb;

/// <summary>Damaged real lines must come back as Ok or as Fail with a reason, never as an exception.</summary>
public class MongodbMutationTests
{
    private const int MutationsPerLine = 50;

    private static readonly string[] RealLines =
        Corpus.Lines("mongodb-4.4-json.log").Concat(Corpus.Lines("mongodb-3.2-legacy.log")).ToArray();

    private static readonly MongodbCtimeContext Ctime = new(2016, TimeSpan.FromHours(-5));

    [Test]
    public void Mutated_lines_are_parsed_or_rejected_with_a_reason_never_thrown()
    {
        var (ok, failed) = (0, 0);
        for (var n = 0; n < RealLines.Length; n++)
        {
            foreach (var mutant in LineMutator.Mutations(RealLines[n], seed: 3000 + n, MutationsPerLine))
            {
                var result = MongodbLogParser.Parse(mutant, Ctime);
                Assert.That(result.IsSuccess || !string.IsNullOrEmpty(result.Error), Is.True, () => mutant);
                if (result.IsSuccess)
                {
                    ok++;
                }
                else
                {
                    failed++;
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok + failed, Is.EqualTo(RealLines.Length * MutationsPerLine));
            Assert.That(failed, Is.GreaterThan(0), "some damage must be noticed");
            Assert.That(ok, Is.GreaterThan(0), "some damage is harmless, e.g. a changed message letter");
        }
    }

    [Test]
    public void Mutated_utf8_bytes_are_parsed_or_rejected_with_a_reason_never_thrown()
    {
        var total = 0;
        for (var n = 0; n < RealLines.Length; n++)
        {
            foreach (var mutant in LineMutator.ByteMutations(RealLines[n], seed: 4000 + n, MutationsPerLine))
            {
                var result = MongodbLogParser.Parse(mutant, Ctime);
                Assert.That(result.IsSuccess || !string.IsNullOrEmpty(result.Error), Is.True);
                total++;
            }
        }

        Assert.That(total, Is.EqualTo(RealLines.Length * MutationsPerLine));
    }

    [Test]
    public void Ctime_lines_survive_mutation_too()
    {
        const string line = "Tue Nov 15 07:04:17.016 I CONTROL  [initandlisten] connection accepted from 127.0.0.1:52236 #1";
        foreach (var mutant in LineMutator.Mutations(line, seed: 5000, 300))
        {
            var result = MongodbLogParser.Parse(mutant, Ctime);
            Assert.That(result.IsSuccess || !string.IsNullOrEmpty(result.Error), Is.True, () => mutant);
        }
    }
}
