using System.Text.Json;
using NUnit.Framework;
using Streams.Topology.Laravel;

namespace Streams.Topology.Tests.Laravel;

public sealed class LaravelLogParserTests
{
    private static List<LaravelEntry> ParseCorpus(TimeZoneInfo? zone = null) =>
        LaravelLogParser.SplitEntries(Corpus.Text("laravel.log")).Select(e => Parse(e, zone)).ToList();

    private static LaravelEntry Parse(string entry, TimeZoneInfo? zone = null)
    {
        var result = LaravelLogParser.ParseEntry(entry, zone);
        return result.Value ?? throw new AssertionException(result.Error ?? "no value");
    }

    [Test]
    public void Every_entry_of_the_corpus_parses_and_the_stack_trace_stays_in_its_entry()
    {
        var entries = LaravelLogParser.SplitEntries(Corpus.Text("laravel.log")).ToList();
        var results = entries.Select(e => LaravelLogParser.ParseEntry(e)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Has.Count.EqualTo(5));
            Assert.That(entries[0].Split('\n'), Has.Length.EqualTo(6));
            Assert.That(results.Select(r => r.Error), Is.All.Null);
        }
    }

    [Test]
    public void Query_exception_is_read_from_the_context()
    {
        var entry = ParseCorpus()[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 9, 19, 2, 14, 11, TimeSpan.Zero)));
            Assert.That(entry.Channel, Is.EqualTo("production"));
            Assert.That(entry.Level, Is.EqualTo(MonologLevel.Error));
            Assert.That(entry.Message, Is.EqualTo("SQLSTATE[08006] connection to server at \"db01.example.internal\" (10.0.4.11), port 5432 failed"));
            Assert.That(entry.Extra, Is.Null);
            Assert.That(entry.Exception, Is.EqualTo(new LaravelException(
                @"Illuminate\Database\QueryException",
                "SQLSTATE[08006]",
                "7",
                "/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php",
                760,
                "#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(720): Illuminate\\Database\\Connection->runQueryCallback()\n"
                + "#1 /var/www/html/app/Http/Controllers/BillingController.php(88): Illuminate\\Database\\Connection->select()\n"
                + "#2 {main}")));
        }
    }

    [Test]
    public void Context_with_raw_line_breaks_is_kept_as_valid_json()
    {
        var context = ParseCorpus()[0].Context!;
        using var document = JsonDocument.Parse(context);
        var exception = document.RootElement.GetProperty("exception").GetString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context, Does.StartWith("{\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: 7)"));
            Assert.That(context, Does.Not.Contain("\n"));
            Assert.That(exception, Does.Contain(")\n[stacktrace]\n#0 /var/www/html/vendor/").And.EndWith("#2 {main}\n"));
        }
    }

    [Test]
    public void Plain_entries_are_read_with_channel_level_and_message()
    {
        var entries = ParseCorpus();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries[1].Message, Is.EqualTo("Undefined variable $user"));
            Assert.That(entries[1].Exception, Is.Null);
            Assert.That(entries[1].Context, Is.Null);
            Assert.That(entries[2].Level, Is.EqualTo(MonologLevel.Info));
            Assert.That(entries[2].Message, Is.EqualTo("ok"));
            Assert.That(entries[2].EventTime, Is.EqualTo(new DateTimeOffset(2026, 10, 8, 10, 0, 1, TimeSpan.Zero)));
            Assert.That(entries[3].Level, Is.EqualTo(MonologLevel.Critical));
            Assert.That(entries[3].Message, Is.EqualTo("down"));
        }
    }

    [Test]
    public void Php_error_class_at_the_start_of_the_message_is_the_exception()
    {
        var entry = ParseCorpus()[4];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Channel, Is.EqualTo("local"));
            Assert.That(entry.Message, Is.EqualTo(@"TypeError: App\Services\Ledger::post(): Argument #1 ($amount) must be of type int, string given"));
            Assert.That(entry.Exception, Is.EqualTo(new LaravelException(
                "TypeError", @"App\Services\Ledger::post(): Argument #1 ($amount) must be of type int, string given", null, null, null, null)));
        }
    }

    [Test]
    public void Local_time_is_converted_with_the_app_time_zone()
    {
        var entry = ParseCorpus(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"))[0];

        // 19 September is summer time in Berlin, UTC+2.
        Assert.That(entry.EventTime, Is.EqualTo(new DateTimeOffset(2026, 9, 19, 0, 14, 11, TimeSpan.Zero)));
    }

    [TestCase("[2024-01-01T10:00:00.123456+00:00] local.DEBUG: x", "2024-01-01T10:00:00.1234560+00:00")]
    [TestCase("[2024-01-01T10:00:00.123456+02:00] local.DEBUG: x", "2024-01-01T08:00:00.1234560+00:00")]
    [TestCase("[2024-07-01T10:00:00+00:00] local.DEBUG: x", "2024-07-01T10:00:00.0000000+00:00")]
    [TestCase("[2024-07-01 10:00:00.5] local.DEBUG: x", "2024-07-01T08:00:00.5000000+00:00")]
    public void Printed_offset_wins_over_the_app_time_zone(string line, string expected)
    {
        var entry = Parse(line, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.That(entry.EventTime.ToString("O"), Is.EqualTo(expected));
    }

    [TestCase("DEBUG", MonologLevel.Debug)]
    [TestCase("INFO", MonologLevel.Info)]
    [TestCase("NOTICE", MonologLevel.Notice)]
    [TestCase("WARNING", MonologLevel.Warning)]
    [TestCase("ERROR", MonologLevel.Error)]
    [TestCase("CRITICAL", MonologLevel.Critical)]
    [TestCase("ALERT", MonologLevel.Alert)]
    [TestCase("EMERGENCY", MonologLevel.Emergency)]
    public void Every_monolog_level_is_read(string name, MonologLevel level)
    {
        Assert.That(Parse($"[2024-01-01 10:00:00] testing.{name}: x").Level, Is.EqualTo(level));
    }

    [Test]
    public void Context_and_extra_are_split_from_the_message()
    {
        var entry = Parse("[2024-01-01 10:00:00] local.INFO: User {name} logged in {\"user_id\":5,\"tags\":[\"a\",\"}\"]} {\"url\":\"/login\",\"ip\":\"203.0.113.9\"}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Message, Is.EqualTo("User {name} logged in"));
            Assert.That(entry.Context, Is.EqualTo("{\"user_id\":5,\"tags\":[\"a\",\"}\"]}"));
            Assert.That(entry.Extra, Is.EqualTo("{\"url\":\"/login\",\"ip\":\"203.0.113.9\"}"));
        }
    }

    [Test]
    public void Empty_context_and_extra_of_older_monolog_are_split_off()
    {
        var entry = Parse("[2018-05-02 08:00:00] production.NOTICE: Queue restarted [] []");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Message, Is.EqualTo("Queue restarted"));
            Assert.That(entry.Context, Is.EqualTo("[]"));
            Assert.That(entry.Extra, Is.EqualTo("[]"));
        }
    }

    [TestCase("[2024-01-01 10:00:00] local.INFO: Payment failed {not json}", "Payment failed {not json}")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: Payment failed {\"amount\":}", "Payment failed {\"amount\":}")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: ids [1,2,3]", "ids [1,2,3]")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: {\"whole\":\"message\"}", "{\"whole\":\"message\"}")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: glued{\"a\":1}", "glued{\"a\":1}")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: unbalanced \"}", "unbalanced \"}")]
    public void Trailing_text_that_is_not_monolog_json_stays_in_the_message(string line, string message)
    {
        var entry = Parse(line);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Message, Is.EqualTo(message));
            Assert.That(entry.Context, Is.Null);
        }
    }

    [Test]
    public void Empty_message_with_context_is_read()
    {
        var entry = Parse("[2024-01-01 10:00:00] local.INFO:  {\"a\":1}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Message, Is.Empty);
            Assert.That(entry.Context, Is.EqualTo("{\"a\":1}"));
        }
    }

    [TestCase("", "Laravel entry does not start with '[timestamp]'")]
    [TestCase("garbage line", "Laravel entry does not start with '[timestamp]'")]
    [TestCase("[2024-01-01 10:00", "Laravel entry does not start with '[timestamp]'")]
    [TestCase("[yesterday] local.INFO: x", "Laravel entry timestamp is not a valid date-time")]
    [TestCase("[2024-02-30 10:00:00] local.INFO: x", "Laravel entry timestamp is not a valid date-time")]
    [TestCase("[2024-01-01 10:00:00] INFO: x", "Laravel entry has no 'channel.LEVEL:' after the timestamp")]
    [TestCase("[2024-01-01 10:00:00] local.INFO x", "Laravel entry has no 'channel.LEVEL:' after the timestamp")]
    [TestCase("[2024-01-01 10:00:00]", "Laravel entry has no 'channel.LEVEL:' after the timestamp")]
    [TestCase("[2024-01-01 10:00:00] local.VERBOSE: x", "Laravel entry level is not one of Monolog's (DEBUG ... EMERGENCY)")]
    [TestCase("[2024-01-01 10:00:00] local.error: x", "Laravel entry level is not one of Monolog's (DEBUG ... EMERGENCY)")]
    public void Malformed_entry_fails_with_a_reason(string entry, string reason)
    {
        Assert.That(LaravelLogParser.ParseEntry(entry).Error, Is.EqualTo(reason));
    }

    [Test]
    public void Lines_before_the_first_entry_are_kept_as_an_entry_that_fails()
    {
        var entries = LaravelLogParser.SplitEntries("\n#3 {main}\n\"}\n[2024-01-01 10:00:00] local.INFO: x\r\n\r\n").ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries, Is.EqualTo(new[] { "#3 {main}\n\"}", "[2024-01-01 10:00:00] local.INFO: x" }));
            Assert.That(LaravelLogParser.ParseEntry(entries[0]).IsSuccess, Is.False);
        }
    }

    [Test]
    public void Blank_lines_inside_a_message_are_kept_and_trailing_ones_dropped()
    {
        var entries = LaravelLogParser.SplitEntries(["[2024-01-01 10:00:00] local.INFO: first", "", "second", "", "", "[2024-01-01 10:00:01] local.INFO: next"]).ToList();

        Assert.That(entries, Is.EqualTo(new[] { "[2024-01-01 10:00:00] local.INFO: first\n\nsecond", "[2024-01-01 10:00:01] local.INFO: next" }));
    }

    [Test]
    public void Very_long_line_is_read_whole_and_quickly()
    {
        var message = string.Concat(Enumerable.Repeat("{\"k\":[} ", 100_000)) + new string('x', 1_000_000);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var entry = Parse("[2024-01-01 10:00:00] local.WARNING: " + message + " {\"size\":1}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entry.Message, Is.EqualTo(message));
            Assert.That(entry.Context, Is.EqualTo("{\"size\":1}"));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
    }
}
