using System.CommandLine;
using System.Text.Json;
using Streams.Contracts.Documents;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Commands;

/// <summary><c>streams dlq list</c>: every dlq.* topic, counted by stage and reason, with an example per reason and the time range.</summary>
internal static class DlqListCommand
{
    private const int TopReasons = 10;

    public static Command Build()
    {
        var bootstrap = DlqCommand.BootstrapOption();
        var config = DlqCommand.ClientConfigOption();
        var registry = DlqCommand.RegistryOption();
        var json = new Option<bool>("--json") { Description = "One JSON document for scripts instead of the table." };
        var command = new Command("list", "Count the records of every dead-letter topic by stage and reason.") { bootstrap, config, registry, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            return DlqCommand.Run(parse.InvocationConfiguration.Error, "list", () =>
            {
                var cluster = DlqCommand.Cluster(parse, bootstrap, config);
                var decoder = new OriginalDecoder(DlqCommand.Registry(parse.GetValue(registry)));
                var summaries = cluster.DeadLetterTopics().Select(t => DeadLetterSummary.Of(t, cluster.ReadAll(t))).ToList();
                if (parse.GetValue(json))
                {
                    WriteJson(output, summaries, decoder);
                }
                else
                {
                    WriteTable(output, summaries, decoder);
                }

                return DlqCommand.Ok;
            });
        });
        return command;
    }

    private static void WriteTable(TextWriter output, List<DeadLetterSummary> summaries, OriginalDecoder decoder)
    {
        if (summaries.Count == 0)
        {
            output.WriteLine("No dead-letter topics (dlq.*) on this cluster.");
            return;
        }

        foreach (var s in summaries)
        {
            var range = s.First is { } first ? $", {first:yyyy-MM-ddTHH:mm:ssZ} … {s.Last:yyyy-MM-ddTHH:mm:ssZ}" : string.Empty;
            output.WriteLine($"{s.Topic}: {s.Count} record(s){range}");
            if (s.Count == 0)
            {
                continue;
            }

            output.WriteLine("  by stage: " + string.Join(", ", s.ByStage.Select(kv => $"{kv.Key} {kv.Value}")));
            output.WriteLine($"  {"count",7}  {"reason",-64}  example");
            foreach (var r in s.Reasons.Take(TopReasons))
            {
                output.WriteLine($"  {r.Count,7}  {DlqCommand.Short(r.Reason, 64),-64}  {r.Example.Location} {DlqCommand.Short(decoder.Decode(r.Example.Value).Preview, 80)}");
            }

            if (s.Reasons.Count > TopReasons)
            {
                output.WriteLine($"  … and {s.Reasons.Count - TopReasons} more reason(s)");
            }
        }
    }

    private static void WriteJson(TextWriter output, List<DeadLetterSummary> summaries, OriginalDecoder decoder)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = EcsDocumentWriter.Encoder, Indented = true }))
        {
            json.WriteStartArray();
            foreach (var s in summaries)
            {
                json.WriteStartObject();
                json.WriteString("topic", s.Topic);
                json.WriteNumber("count", s.Count);
                if (s.First is { } first)
                {
                    json.WriteString("first", first);
                    json.WriteString("last", s.Last!.Value);
                }

                json.WriteStartObject("by_stage");
                foreach (var (stage, count) in s.ByStage)
                {
                    json.WriteNumber(stage, count);
                }

                json.WriteEndObject();
                json.WriteStartArray("reasons");
                foreach (var r in s.Reasons)
                {
                    json.WriteStartObject();
                    json.WriteString("reason", r.Reason);
                    json.WriteNumber("count", r.Count);
                    json.WriteStartObject("example");
                    json.WriteString("location", r.Example.Location);
                    json.WriteString("origin", $"{r.Example.OriginTopic}/{r.Example.OriginPartition}@{r.Example.OriginOffset}");
                    json.WriteString("original", decoder.Decode(r.Example.Value).Text);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
