using NUnit.Framework;
using Streams.Topology.Laravel;
using Streams.Topology.Tests.Fuzzing;

namespace Streams.Topology.Tests.Laravel;

/// <summary>Damaged real entries must come back as Ok or Fail with a reason, never as an exception.</summary>
public sealed class LaravelParserRobustnessTests
{
    private const int Mutations = 500;

    [Test]
    public void Mutated_log_text_never_makes_the_splitter_or_parser_throw()
    {
        var random = new Random(20260919);
        var text = Corpus.Text("laravel.log");
        var outcomes = new List<bool>();
        for (var i = 0; i < Mutations; i++)
        {
            var zone = i % 2 == 0 ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            foreach (var entry in LaravelLogParser.SplitEntries(TextMutator.Mutate(text, random)))
            {
                outcomes.Add(OkOrFail(entry, zone));
            }
        }

        Assert.That(outcomes, Does.Contain(true).And.Contain(false));
    }

    [Test]
    public void Mutated_entries_never_make_the_parser_throw()
    {
        var random = new Random(11);
        var entries = LaravelLogParser.SplitEntries(Corpus.Text("laravel.log")).ToList();
        for (var i = 0; i < Mutations; i++)
        {
            OkOrFail(TextMutator.Mutate(entries[random.Next(entries.Count)], random), TimeZoneInfo.Utc);
        }
    }

    private static bool OkOrFail(string entry, TimeZoneInfo zone)
    {
        var result = LaravelLogParser.ParseEntry(entry, zone);
        if (result.IsSuccess == (result.Error is not null) || result.Error is { Length: 0 })
        {
            Assert.Fail("neither a value nor a reason for: " + entry[..Math.Min(entry.Length, 500)]);
        }

        return result.IsSuccess;
    }
}
