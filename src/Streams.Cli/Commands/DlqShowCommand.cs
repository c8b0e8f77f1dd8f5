using System.CommandLine;
using System.Text;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Commands;

/// <summary><c>streams dlq show</c>: the records of one dead-letter topic, decoded, with their headers and origin.</summary>
internal static class DlqShowCommand
{
    public static Command Build()
    {
        var bootstrap = DlqCommand.BootstrapOption();
        var config = DlqCommand.ClientConfigOption();
        var registry = DlqCommand.RegistryOption();
        var topic = DlqCommand.TopicOption();
        var reason = DlqCommand.ReasonOption();
        var source = new Option<string?>("--source") { Description = "Only records that came from this source (raw.<source>, curated.<source>)." };
        var limit = new Option<int>("--limit", "-n") { Description = "Show at most this many records.", DefaultValueFactory = _ => 20 };
        var command = new Command("show", "Show dead letters: original key and value decoded, headers, where they came from.")
        {
            bootstrap, config, registry, topic, reason, source, limit,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            return DlqCommand.Run(parse.InvocationConfiguration.Error, "show", () =>
            {
                if (parse.GetValue(limit) < 1)
                {
                    throw new DeadLetterInputException($"--limit {parse.GetValue(limit)} must be at least 1");
                }

                var cluster = DlqCommand.Cluster(parse, bootstrap, config);
                var name = parse.GetValue(topic)!;
                ReplayPlan.CheckTopic(cluster.Topics(), name);
                var selection = new DeadLetterSelection(parse.GetValue(reason), parse.GetValue(source));
                var records = cluster.ReadAll(name);
                var matched = records.Where(selection.Matches).ToList();
                if (matched.Count == 0 && selection != DeadLetterSelection.All)
                {
                    throw new DeadLetterInputException($"no record of {name} matches {selection} ({records.Count} record(s) there)");
                }

                var decoder = new OriginalDecoder(DlqCommand.Registry(parse.GetValue(registry)));
                foreach (var record in matched.Take(parse.GetValue(limit)))
                {
                    Print(output, record, decoder);
                }

                output.WriteLine($"{Math.Min(matched.Count, parse.GetValue(limit))} of {matched.Count} matching record(s) shown ({records.Count} in {name}).");
                return DlqCommand.Ok;
            });
        });
        return command;
    }

    private static void Print(TextWriter output, DeadLetterRecord record, OriginalDecoder decoder)
    {
        output.WriteLine($"{record.Location}  {record.Time:yyyy-MM-ddTHH:mm:ss.fffZ}");
        output.WriteLine($"  origin   {record.OriginTopic ?? "(unknown)"}/{record.OriginPartition}@{record.OriginOffset}");
        output.WriteLine($"  stage    {record.Stage ?? DeadLetterSummary.NoHeader}");
        output.WriteLine($"  reason   {record.Reason ?? DeadLetterSummary.NoHeader}");
        foreach (var (name, bytes) in record.Headers)
        {
            output.WriteLine($"  header   {name}: {(bytes is null ? "null" : Encoding.UTF8.GetString(bytes))}");
        }

        var key = decoder.Decode(record.Key);
        var value = decoder.Decode(record.Value);
        output.WriteLine($"  key      [{key.Kind}] {key.Text}");
        output.WriteLine($"  value    [{value.Kind}{(value.SchemaId is { } id ? $" schema {id}" : string.Empty)}] {value.Text}");
        output.WriteLine();
    }
}
