using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

/// <summary>Damaged real lines must come back as Ok or as Fail with a reason, never as an exception.</summary>
public class ElbMutationTests
{
    private const int MutationsPerLine = 60;

    private static readonly string[] RealLines =
        new[] { "elb-alb.log", "elb-alb-2.log", "elb-classic.log", "elb-nlb.log" }.SelectMany(Corpus.Lines).ToArray();

    [Test]
    public void Mutated_lines_are_parsed_or_rejected_with_a_reason_never_thrown()
    {
        var (ok, failed) = (0, 0);
        for (var n = 0; n < RealLines.Length; n++)
        {
            foreach (var mutant in LineMutator.Mutations(RealLines[n], seed: 1000 + n, MutationsPerLine))
            {
                var result = ElbAccessLogParser.Parse(mutant);
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
            Assert.That(ok, Is.GreaterThan(0), "some damage is harmless, e.g. an extra space");
        }
    }

    [Test]
    public void Mutated_utf8_bytes_are_parsed_or_rejected_with_a_reason_never_thrown()
    {
        var total = 0;
        for (var n = 0; n < RealLines.Length; n++)
        {
            foreach (var mutant in LineMutator.ByteMutations(RealLines[n], seed: 2000 + n, MutationsPerLine))
            {
                var result = ElbAccessLogParser.Parse(mutant);
                Assert.That(result.IsSuccess || !string.IsNullOrEmpty(result.Error), Is.True);
                total++;
            }
        }

        Assert.That(total, Is.EqualTo(RealLines.Length * MutationsPerLine));
    }
}
