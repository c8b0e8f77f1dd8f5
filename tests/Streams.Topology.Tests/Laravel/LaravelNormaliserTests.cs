using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Laravel;
using Streams.Topology.Normalising;
using Streams.Topology.Tests.Normalising;

namespace Streams.Topology.Tests.Laravel;

public sealed class LaravelNormaliserTests
{
    private static List<LaravelCurated> CorpusRecords() =>
        LaravelLogParser.SplitEntries(Corpus.Text("laravel.log"))
            .Select(text => LaravelLogParser.ParseEntry(text).Value ?? throw new AssertionException($"did not parse: {text}"))
            .Select(entry => LaravelNormaliser.Normalise(entry, Contexts.For("web-1:/var/www/html/storage/logs/laravel.log")))
            .ToList();

    [Test]
    public void Every_corpus_entry_is_a_web_event_of_the_laravel_log_dataset_with_its_channel_as_logger()
    {
        var records = CorpusRecords();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(5));
            Assert.That(records.Select(r => r.@event.dataset), Is.All.EqualTo("laravel.log"));
            Assert.That(records.Select(r => r.@event.module), Is.All.EqualTo("laravel"));
            Assert.That(records.Select(r => r.@event.category), Is.All.EqualTo(new[] { "web" }));
            Assert.That(records.Select(r => r.log.logger), Is.EqualTo(new[] { "production", "production", "production", "production", "local" }));
            Assert.That(records.Select(r => r.laravel.channel), Is.EqualTo(records.Select(r => r.log.logger)));
        }
    }

    [Test]
    public void Query_exception_fills_ecs_error_and_the_laravel_exception_block_and_fails()
    {
        var record = CorpusRecords()[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.timestamp, Is.EqualTo(new DateTime(2026, 9, 19, 2, 14, 11, DateTimeKind.Utc)));
            Assert.That(record.log.level, Is.EqualTo("error"));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "error" }));
            Assert.That(record.@event.outcome, Is.EqualTo("failure"));
            Assert.That(record.message, Does.StartWith("SQLSTATE[08006] connection to server"));
            Assert.That(record.error.type, Is.EqualTo(@"Illuminate\Database\QueryException"));
            Assert.That(record.error.message, Does.StartWith("SQLSTATE[08006]"));
            Assert.That(record.error.stack_trace, Does.StartWith("#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(720)"));
            Assert.That(record.laravel.exception.@class, Is.EqualTo(@"Illuminate\Database\QueryException"));
            Assert.That(record.laravel.exception.code, Is.EqualTo("7"));
            Assert.That(record.laravel.exception.line, Is.EqualTo(760));
            Assert.That(record.laravel.exception.file, Does.EndWith("/Illuminate/Database/Connection.php"));
            Assert.That(record.laravel.context, Does.StartWith("{"));
        }
    }

    [Test]
    public void Info_entry_without_exception_is_type_info_with_no_outcome_and_no_error()
    {
        var record = CorpusRecords().Single(r => r.message == "ok");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.log.level, Is.EqualTo("info"));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "info" }));
            Assert.That(record.@event.outcome, Is.Null);
            Assert.That(record.error, Is.Null);
            Assert.That(record.laravel.exception, Is.Null);
        }
    }

    [Test]
    public void Critical_entry_is_an_error_and_keeps_monologs_level_name()
    {
        var record = CorpusRecords().Single(r => r.message == "down");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.log.level, Is.EqualTo("critical"));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "error" }));
        }
    }

    [TestCase(MonologLevel.Debug, "debug")]
    [TestCase(MonologLevel.Notice, "notice")]
    [TestCase(MonologLevel.Warning, "warning")]
    [TestCase(MonologLevel.Alert, "alert")]
    [TestCase(MonologLevel.Emergency, "emergency")]
    [TestCase((MonologLevel)42, "42")]
    public void Monolog_levels_are_their_lower_case_names(MonologLevel level, string expected) =>
        Assert.That(LogLevels.FromMonolog(level), Is.EqualTo(expected));

    [Test]
    public void Entry_with_empty_parts_and_an_out_of_range_line_does_not_throw()
    {
        var entry = new LaravelEntry
        {
            EventTime = DateTimeOffset.UnixEpoch,
            Channel = null!,
            Level = MonologLevel.Info,
            Message = "",
            Exception = new Streams.Topology.Laravel.LaravelException("", "", null, null, long.MaxValue, null),
        };

        var record = LaravelNormaliser.Normalise(entry, Contexts.For("web-1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.laravel.exception.line, Is.Null);
            Assert.That(record.error.type, Is.Null);
            Assert.That(record.message, Is.Null);
            Assert.That(record.log.logger, Is.Null);
            Assert.That(record.@event.outcome, Is.EqualTo("failure"));
        }
    }
}
