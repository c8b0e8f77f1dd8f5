using NUnit.Framework;
using Streams.Topology.Mysql;
using Streams.Topology.Parsing;
using Streams.Topology.Tests.Fuzzing;

namespace Streams.Topology.Tests.Mysql;

/// <summary>Damaged real lines must come back as Ok or Fail with a reason, never as an exception.</summary>
public sealed class MysqlParserRobustnessTests
{
    private const int Mutations = 400;

    private static readonly string[] FileCorpus =
    [
        "mysql-general-mariadb-10.11.log",
        "mysql-slowlog-8.0.log",
        "mysql-slowlog-mariadb-10.3.log",
        "mysql-slowlog-mariadb-10.11.log",
    ];

    [TestCaseSource(nameof(FileCorpus))]
    public void Mutated_files_never_make_the_general_or_slow_parser_throw(string name)
    {
        var random = new Random(20261122);
        var text = Corpus.Text(name);
        var outcomes = new List<bool>();
        for (var i = 0; i < Mutations; i++)
        {
            var mutated = TextMutator.Mutate(text, random);
            var zone = i % 2 == 0 ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            foreach (var entry in MysqlGeneralLogFileParser.SplitEntries(mutated))
            {
                outcomes.Add(AssertOkOrFail(MysqlGeneralLogFileParser.ParseEntry(entry, zone), mutated));
            }

            foreach (var entry in MysqlSlowLogFileParser.SplitEntries(mutated))
            {
                outcomes.Add(AssertOkOrFail(MysqlSlowLogFileParser.ParseEntry(entry, zone), mutated));
            }
        }

        // The damage is mild enough that the parsers still accept some entries and refuse others.
        Assert.That(outcomes, Does.Contain(true).And.Contain(false));
    }

    [Test]
    public void Mutated_entries_and_inherited_times_never_make_the_entry_parsers_throw()
    {
        var random = new Random(7);
        var entries = FileCorpus.SelectMany(name => MysqlSlowLogFileParser.SplitEntries(Corpus.Text(name))
            .Concat(MysqlGeneralLogFileParser.SplitEntries(Corpus.Text(name)))).ToList();
        for (var i = 0; i < Mutations; i++)
        {
            var original = entries[random.Next(entries.Count)];
            var mutated = new MysqlLogEntryText(
                TextMutator.Mutate(original.Text, random),
                TextMutator.Mutate(original.InheritedTime ?? "190324 16:03:00", random),
                original.LineNumber);
            AssertOkOrFail(MysqlGeneralLogFileParser.ParseEntry(mutated), mutated.Text);
            AssertOkOrFail(MysqlSlowLogFileParser.ParseEntry(mutated), mutated.Text);
        }
    }

    [Test]
    public void Mutated_table_rows_never_make_the_table_parsers_throw()
    {
        var random = new Random(42);
        var rows = MysqlClientBatchOutput.Rows("mysql-general-table-mariadb-10.11.tsv");
        for (var i = 0; i < Mutations; i++)
        {
            var c = rows[random.Next(rows.Count)];
            var general = new MysqlGeneralLogRow(
                TextMutator.Mutate(c[0], random), TextMutator.Mutate(c[1], random), random.NextInt64(), random.NextInt64(),
                TextMutator.Mutate(c[4], random), TextMutator.Mutate(c[5], random));
            AssertOkOrFail(MysqlGeneralLogTableParser.ParseRow(general), general.ToString());

            var slow = new MysqlSlowLogRow(
                general.EventTime, general.UserHost, TextMutator.Mutate("00:00:02.000123", random), TextMutator.Mutate("838:59:59", random),
                random.NextInt64(), random.NextInt64(), TextMutator.Mutate("okt", random), 0, 0, 1, general.Argument, 9);
            AssertOkOrFail(MysqlSlowLogTableParser.ParseRow(slow), slow.ToString());
        }
    }

    private static bool AssertOkOrFail<T>(ParseResult<T> result, string input)
        where T : class
    {
        if (result.IsSuccess == (result.Error is not null) || (result.Error is { Length: 0 }))
        {
            Assert.Fail("neither a value nor a reason for: " + input[..Math.Min(input.Length, 500)]);
        }

        return result.IsSuccess;
    }
}
