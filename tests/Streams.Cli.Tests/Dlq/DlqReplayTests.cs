using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Avro.Specific;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;
using Streams.Topology.DeadLetterQueue;
using Streams.Topology.Geo;

namespace Streams.Cli.Tests.Dlq;

/// <summary>
/// The dead-letter loop on the embedded cluster: an older parser (a reject rule in front of today's) dead-letters
/// load balancer lines through the real topology; `streams dlq` lists and shows them, dry-runs and replays them,
/// the replay is interrupted and resumed, and today's topology curates each exactly once, as if it had never failed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class DlqReplayTests
{
    private const string Listeners = "parser v1: h2 and WebSocket listeners are not supported";
    private const string Classification = "parser v1: classification fields are not supported";

    [Test]
    public async Task Dead_letters_replayed_after_a_parser_fix_curate_exactly_once_with_the_event_ids_they_would_have_had()
    {
        await using var scenario = new DlqScenario();
        var text = DlqScenario.CorpusText();
        var records = NativeText.Read("elb", text, DlqScenario.Origin, DlqScenario.Ingested).ToList();
        var never = OfflineCuration.Run("elb", text, DlqScenario.Origin, DlqScenario.Ingested, GeoIpEnricher.Disabled, TimeZoneInfo.Utc);
        var expected = never.Documents.Select(d => (d.Index, d.Id, Encoding.UTF8.GetString(d.Source))).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var rejected = records.Select(r => OlderParser("elb", r.Raw)).OfType<string>().ToList();
        Assert.That(rejected, Has.Count.GreaterThanOrEqualTo(5), "the older parser rejects several lines for two reasons");

        scenario.ProduceRaw(records);
        var first = await scenario.RunTopologyAsync(scenario.Options(OlderParser));
        var index = Directory.CreateTempSubdirectory("dlq-index-").FullName;
        await scenario.RunSinkAsync(index, first.Curated["elb"]);
        var deadLetters = scenario.Read(DlqScenario.DeadLetterTopic);
        Assert.That(deadLetters, Has.Count.EqualTo(records.Count - first.Curated["elb"]), "the older parser's rejects and today's failures");
        Assert.That(deadLetters, Has.Count.GreaterThanOrEqualTo(rejected.Count));

        // dlq list: counts by stage and reason, an example each, the time range.
        var list = await CliRun.RunAsync("dlq", "list", "-b", scenario.Bootstrap, "--schema-registry-url", scenario.RegistryUrl, "--json");
        Assert.That(list.ExitCode, Is.Zero, list.Error);
        var topology = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single(t => t.GetProperty("topic").GetString() == DlqScenario.DeadLetterTopic);
        Assert.That(topology.GetProperty("count").GetInt32(), Is.EqualTo(deadLetters.Count));
        Assert.That(topology.GetProperty("by_stage").GetProperty("parse").GetInt32(), Is.EqualTo(deadLetters.Count));
        var reasons = topology.GetProperty("reasons").EnumerateArray().ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("count").GetInt32());
        Assert.That(reasons[Listeners], Is.EqualTo(rejected.Count(r => r == Listeners)));
        Assert.That(reasons[Classification], Is.EqualTo(rejected.Count(r => r == Classification)));
        Assert.That(topology.GetProperty("first").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(DlqScenario.Ingested)));
        var table = await CliRun.RunAsync("dlq", "list", "-b", scenario.Bootstrap, "--schema-registry-url", scenario.RegistryUrl);
        Assert.That(table.Output, Does.Contain($"{DlqScenario.DeadLetterTopic}: {deadLetters.Count} record(s), 2026-11-26T12:00:00Z … 2026-11-26T12:00:00Z"));
        Assert.That(table.OutputLines, Has.One.Match($@"^3\s+{Regex.Escape(Listeners)}\s+dlq\.topology/0@\d+ h2 2018-07-02T22:23:00"), "the reason's count and its example's log line");

        // dlq show: the original Avro decoded through the registry, the headers, the origin.
        var show = await CliRun.RunAsync("dlq", "show", "-b", scenario.Bootstrap, "--schema-registry-url", scenario.RegistryUrl, "--topic", DlqScenario.DeadLetterTopic, "--reason", "websocket", "--limit", "1");
        Assert.That(show.ExitCode, Is.Zero, show.Error);
        Assert.That(show.Output, Does.Contain("origin   raw.elb/0@").And.Contain("[avro schema").And.Contain("\"text\":\"h2 ").And.Contain("header   __streams.errors.reason: " + Listeners));
        Assert.That(show.Output, Does.Contain("1 of 3 matching record(s) shown"));

        // --dry-run: counts, and nothing written anywhere.
        var before = scenario.EndOffsets();
        var dry = await CliRun.RunAsync("dlq", "replay", "-b", scenario.Bootstrap, "--schema-registry-url", scenario.RegistryUrl, "--topic", DlqScenario.DeadLetterTopic, "--dry-run");
        Assert.That(dry.ExitCode, Is.Zero, dry.Error);
        Assert.That(scenario.EndOffsets(), Is.EqualTo(before), "a dry run writes nothing");
        var wouldCurate = Count(dry.Output, "would be curated");
        Assert.That(wouldCurate, Is.EqualTo(expected.Count - first.Curated["elb"]), dry.Output);
        Assert.That(wouldCurate, Is.Positive);

        // A replay of one reason, interrupted after its first transaction, then the whole topic replayed.
        using (var interrupt = new CancellationTokenSource())
        {
            var metrics = new ReplayMetrics();
            var replayer = new DeadLetterReplayer(new DeadLetterCluster(scenario.Bootstrap), metrics) { Committed = _ => interrupt.Cancel() };
            var plan = ReplayPlan.Create(new DeadLetterCluster(scenario.Bootstrap), DlqScenario.DeadLetterTopic, new DeadLetterSelection(Reason: "WebSocket"));
            Assert.That(plan.Pending, Has.Count.EqualTo(3));
            Assert.Throws<OperationCanceledException>(() => replayer.Replay(plan, batchSize: 1, interrupt.Token));
            Assert.That((metrics.ByStage["topology"], metrics.ByReason[Listeners]), Is.EqualTo((1L, 1L)), "only the committed transaction counts");
        }

        var replay = await CliRun.RunAsync("dlq", "replay", "-b", scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic, "--batch-size", "2");
        Assert.That(replay.ExitCode, Is.Zero, replay.Error);
        Assert.That(replay.Output, Does.Contain($"Replayed {deadLetters.Count - 1} dead letter(s)").And.Contain("1 had been replayed before"));
        Assert.That(replay.OutputLines, Does.Contain("2  " + Listeners).And.Contain("4  " + Classification), "replays counted by reason");
        var again = await CliRun.RunAsync("dlq", "replay", "-b", scenario.Bootstrap, "--topic", DlqScenario.DeadLetterTopic);
        Assert.That(again.Output, Does.Contain($"Replayed 0 dead letter(s)").And.Contain($"{deadLetters.Count} had been replayed before"));

        // read_committed: each dead letter is back in raw.elb exactly once, byte for byte, with where it came from.
        var raw = scenario.Read("raw.elb");
        var replayed = raw.Where(r => Header(r.Message.Headers, "__streams.replay.dlq.offset") is not null).ToList();
        Assert.That(replayed.Select(r => long.Parse(Header(r.Message.Headers, "__streams.replay.dlq.offset")!, System.Globalization.CultureInfo.InvariantCulture)), Is.EquivalentTo(deadLetters.Select(d => d.Offset.Value)));
        foreach (var (letter, back) in deadLetters.Zip(replayed.OrderBy(r => long.Parse(Header(r.Message.Headers, "__streams.replay.dlq.offset")!, System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.That(back.Message.Value, Is.EqualTo(letter.Message.Value));
            Assert.That(back.Message.Key, Is.EqualTo(letter.Message.Key));
            Assert.That(back.Message.Timestamp.UnixTimestampMs, Is.EqualTo(letter.Message.Timestamp.UnixTimestampMs));
            Assert.That(Header(back.Message.Headers, "__streams.replay.dlq.topic"), Is.EqualTo(DlqScenario.DeadLetterTopic));
            Assert.That(back.Message.Headers.Any(h => h.Key.StartsWith("__streams.errors.", StringComparison.Ordinal)), Is.False);
        }

        // Today's topology curates them: every event once, with the id it would have had; the counts are the dry run's.
        var second = await scenario.RunTopologyAsync(scenario.Options(rejectRule: null));
        Assert.That(scenario.Curated().OrderBy(d => d.Id, StringComparer.Ordinal).ToList(), Is.EqualTo(expected), "as if no line had ever failed");
        Assert.That(second.Curated["elb"], Is.EqualTo(wouldCurate));
        Assert.That(second.Duplicates["elb"], Is.EqualTo(Count(dry.Output, "would be deduplicated")));
        Assert.That(second.DeadLettered["elb"], Is.EqualTo(Count(dry.Output, "would be dead-lettered")));

        // The sink, resuming from its committed offsets, writes the replayed events: the index holds each event once.
        await scenario.RunSinkAsync(index, second.Curated["elb"]);
        var indexed = Directory.GetFiles(index, "*.ndjson").SelectMany(f => File.ReadLines(f).Chunk(2)).Select(pair =>
        {
            var create = JsonDocument.Parse(pair[0]).RootElement.GetProperty("create");
            return (create.GetProperty("_index").GetString()!, create.GetProperty("_id").GetString()!, pair[1]);
        }).OrderBy(d => d.Item2, StringComparer.Ordinal).ToList();
        Assert.That(indexed, Is.EqualTo(expected), "each event indexed once, as if no line had ever failed");
        Directory.Delete(index, recursive: true);
    }

    /// <summary>The parser as it was: today's, behind a rule that rejects h2/WebSocket lines and the November lines.</summary>
    private static string? OlderParser(string source, ISpecificRecord raw) => raw switch
    {
        ElbRaw { text: var t } when t.StartsWith("h2 ", StringComparison.Ordinal) || t.StartsWith("ws", StringComparison.Ordinal) => Listeners,
        ElbRaw { text: var t } when t.Contains(" 2018-11-30T", StringComparison.Ordinal) => Classification,
        _ => null,
    };

    private static int Count(string output, string label) =>
        int.Parse(CountLine().Matches(output).Single(m => m.Groups[1].Value == label).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string? Header(Confluent.Kafka.Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    [GeneratedRegex(@"^\s*(would be [a-z-]+):\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex CountLine();
}
