using System.Text;
using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Connectors.Laravel;
using Streams.Connectors.Tests.Laravel;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Framework;

/// <summary>An entry larger than a Kafka record may be is dead-lettered in its batch's transaction; the connector goes on.</summary>
[TestFixture]
public sealed class OversizedRecordTests
{
    [Test]
    public async Task A_5_MB_entry_goes_to_the_dead_letter_topic_and_the_entries_around_it_to_the_raw_topic_once()
    {
        using var dir = new LaravelLogDirectory();
        var huge = "[2026-11-25 10:00:01] production.ERROR: " + new string('x', 5 * 1024 * 1024);
        string[] entries = ["[2026-11-25 10:00:00] production.INFO: before", huge, "[2026-11-25 10:00:02] production.INFO: after"];
        LaravelLogDirectory.Append(dir.LogFile, entries);
        await using var cluster = ConnectorCluster.Start();
        cluster.Kafka.CreateTopic(SourceConnectorOptions.DefaultDeadLetterTopic, 1, 1);
        var task = new LaravelSourceTask(new LaravelSourceOptions { PathGlob = dir.Glob, IdleFlushTimeout = TimeSpan.FromMilliseconds(50) });
        await using (var runner = new SourceConnectorRunner<LaravelRaw, FileOffset>(cluster.Options(batchSize: 10), task))
        {
            runner.Start();
            await Eventually.Until(() => runner.CommittedRecords + runner.CommittedDeadLetters >= 3 || runner.Completion.IsCompleted, TimeSpan.FromSeconds(30), "all three entries committed");
            await runner.StopAsync(CancellationToken.None);
            Assert.That((runner.CommittedRecords, runner.CommittedDeadLetters), Is.EqualTo((2L, 1L)));
        }

        // A restart reads nothing again: the offset moved past the oversized entry too.
        await using (var restarted = new SourceConnectorRunner<LaravelRaw, FileOffset>(cluster.Options(), new LaravelSourceTask(new LaravelSourceOptions { PathGlob = dir.Glob, IdleFlushTimeout = TimeSpan.FromMilliseconds(50) })))
        {
            restarted.Start();
            await Task.Delay(1000);
            await restarted.StopAsync(CancellationToken.None);
            Assert.That(restarted.CommittedRecords + restarted.CommittedDeadLetters, Is.Zero);
        }

        var dead = cluster.ReadAll(SourceConnectorOptions.DefaultDeadLetterTopic).Single();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.ReadRaw().Select(r => r.Value.text), Is.EqualTo(new[] { entries[0], entries[2] }));
            Assert.That(dead.Value, Has.Length.EqualTo(SourceConnectorRunner<LaravelRaw, FileOffset>.OversizedBytesKept));
            Assert.That(Header(dead, "__streams.errors.stage"), Is.EqualTo("connect"));
            Assert.That(Header(dead, "__streams.errors.reason"), Does.StartWith("record of ").And.Contain("larger than max.record.bytes (990000)"));
            Assert.That(Header(dead, "__streams.errors.topic"), Is.EqualTo(ConnectorCluster.LaravelTopic));
            Assert.That(long.Parse(Header(dead, "__streams.errors.original.bytes")!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(5 * 1024 * 1024));
        });
    }

    private static string? Header(Confluent.Kafka.Message<byte[], byte[]> message, string key) =>
        message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
