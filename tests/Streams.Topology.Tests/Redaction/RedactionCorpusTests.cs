using NUnit.Framework;
using Streams.Topology.Mysql;
using Streams.Topology.Redaction;
using Streams.Topology.Tests.Mysql;

namespace Streams.Topology.Tests.Redaction;

/// <summary>The real MariaDB general log holds CREATE USER … IDENTIFIED BY statements whose secrets must not leave.</summary>
[TestFixture]
public sealed class RedactionCorpusTests
{
    private static readonly string[] Secrets = ["app-pass", "S3cret-Pa55"];

    [Test]
    public void Passwords_in_the_general_log_file_entries_are_gone_and_other_statements_untouched()
    {
        var arguments = MysqlGeneralLogFileParser.SplitEntries(Corpus.Text("mysql-general-mariadb-10.11.log"))
            .Select(e => MysqlGeneralLogFileParser.ParseEntry(e).Value)
            .OfType<MysqlGeneralEntry>()
            .Where(e => e.Command == "Query")
            .Select(e => e.Argument)
            .ToList();
        AssertRedacted(arguments);
    }

    [Test]
    public void Passwords_in_the_general_log_table_rows_are_gone_and_other_statements_untouched()
    {
        var arguments = MysqlClientBatchOutput.Rows("mysql-general-table-mariadb-10.11.tsv")
            .Where(r => r[4] == "Query")
            .Select(r => r[5])
            .ToList();
        AssertRedacted(arguments);
    }

    [TestCase("mysql-general-mariadb-10.11.log")]
    [TestCase("mysql-general-table-mariadb-10.11.tsv")]
    public void No_line_of_the_file_keeps_a_secret_after_sql_redaction(string file)
    {
        var redacted = Corpus.Lines(file).Select(SecretRedactor.Default.RedactSql).ToList();
        Assert.Multiple(() =>
        {
            foreach (var secret in Secrets)
            {
                Assert.That(redacted, Has.None.Contains(secret), secret);
            }

            Assert.That(redacted.Count(l => l.Contains("IDENTIFIED BY 'REDACTED'", StringComparison.Ordinal)), Is.EqualTo(2));
        });
    }

    private static void AssertRedacted(List<string> arguments)
    {
        var redacted = arguments.Select(SecretRedactor.Default.RedactSql).ToList();
        var changed = arguments.Zip(redacted).Where(p => !ReferenceEquals(p.First, p.Second)).ToList();
        Assert.Multiple(() =>
        {
            foreach (var secret in Secrets)
            {
                Assert.That(arguments, Has.Some.Contains(secret), "the corpus still holds " + secret);
                Assert.That(redacted, Has.None.Contains(secret), secret);
            }

            Assert.That(changed.Select(p => p.Second), Is.EqualTo(new[]
            {
                "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'REDACTED'",
                "CREATE USER IF NOT EXISTS 'report'@'%' IDENTIFIED BY 'REDACTED'",
            }));
        });
    }
}
