using System.CommandLine;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams dlq replay</c>: writes selected dead letters back to where they came from, exactly once
/// (transactions with a ledger of what was replayed); <c>--dry-run</c> runs them through the current topology instead.
/// </summary>
internal static class DlqReplayCommand
{
    public static Command Build()
    {
        var bootstrap = DlqCommand.BootstrapOption();
        var config = DlqCommand.ClientConfigOption();
        var registry = DlqCommand.RegistryOption();
        var topic = DlqCommand.TopicOption();
        var reason = DlqCommand.ReasonOption();
        var since = new Option<string?>("--since") { Description = "Only records timestamped at or after this time (ISO 8601, UTC unless stated)." };
        var until = new Option<string?>("--until") { Description = "Only records timestamped before this time." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the records through the current topology in process and count the outcomes; write nothing." };
        var timezone = new Option<string>("--timezone") { Description = "For --dry-run: the zone of sources that log local time, as the topology's curation.timezone", DefaultValueFactory = _ => "UTC" };
        var batch = new Option<int>("--batch-size") { Description = "Records per transaction.", DefaultValueFactory = _ => 500 };
        var command = new Command("replay", "Write dead letters back to their origin topic, exactly once, once their cause is fixed.")
        {
            bootstrap, config, registry, topic, reason, since, until, dryRun, timezone, batch,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(DlqCommand.Run(parse.InvocationConfiguration.Error, "replay", () =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(batch) < 1)
            {
                throw new DeadLetterInputException($"--batch-size {parse.GetValue(batch)} must be at least 1");
            }

            var selection = new DeadLetterSelection(parse.GetValue(reason), Since: DlqCommand.Time(parse.GetValue(since), "--since"), Until: DlqCommand.Time(parse.GetValue(until), "--until"));
            var cluster = DlqCommand.Cluster(parse, bootstrap, config);
            if (parse.GetValue(dryRun))
            {
                var url = parse.GetValue(registry) ?? throw new DeadLetterInputException("--dry-run needs --schema-registry-url: the topology reads Avro");
                var options = new CurationOptions { Registry = new SchemaRegistrySettings(url), LocalTimeZone = Zone(parse.GetValue(timezone)!) };
                var plan = ReplayPlan.Create(cluster, parse.GetValue(topic)!, selection);
                PrintDryRun(output, plan, ReplayDryRun.Run(plan.Pending, options));
                return DlqCommand.Ok;
            }

            var toReplay = ReplayPlan.Create(cluster, parse.GetValue(topic)!, selection);
            var metrics = new ReplayMetrics();
            var result = new DeadLetterReplayer(cluster, metrics).Replay(toReplay, parse.GetValue(batch), cancellationToken);
            output.WriteLine($"Replayed {result.Replayed} dead letter(s) of {toReplay.Topic} ({selection}) in {result.Transactions} transaction(s); {result.AlreadyReplayed} had been replayed before.");
            foreach (var (why, count) in metrics.ByReason.Snapshot().OrderByDescending(kv => kv.Value))
            {
                output.WriteLine($"  {count,7}  {why}");
            }

            return DlqCommand.Ok;
        })));
        return command;
    }

    private static void PrintDryRun(TextWriter output, ReplayPlan plan, DryRunOutcome outcome)
    {
        output.WriteLine($"Dry run of {plan.Pending.Count} dead letter(s) of {plan.Topic} ({plan.Selection}); {plan.AlreadyReplayed} already replayed; nothing was written.");
        output.WriteLine($"  would be curated:        {outcome.Curated}");
        output.WriteLine($"  would be deduplicated:   {outcome.Deduplicated}");
        output.WriteLine($"  would be dead-lettered:  {outcome.StillDeadLettered.Values.Sum()}");
        foreach (var (why, count) in outcome.StillDeadLettered)
        {
            output.WriteLine($"    {count,7}  {why}");
        }

        if (outcome.NotEvaluated.Count > 0)
        {
            output.WriteLine($"  not evaluated:           {outcome.NotEvaluated.Values.Sum()}");
            foreach (var (why, count) in outcome.NotEvaluated)
            {
                output.WriteLine($"    {count,7}  {why}");
            }
        }
    }

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new DeadLetterInputException($"--timezone '{id}' is not a known time zone (use an IANA name such as Europe/Berlin)");
        }
    }
}
