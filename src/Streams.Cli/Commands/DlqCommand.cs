using System.CommandLine;
using System.Globalization;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.DeadLetterQueue;

namespace Streams.Cli.Commands;

/// <summary><c>streams dlq list|show|replay</c>: look at dead letters, and put them back once their cause is fixed.</summary>
internal static class DlqCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static Command Build()
    {
        var dlq = new Command("dlq", "Inspect dead-letter topics and replay their records once the cause is fixed.");
        dlq.Subcommands.Add(DlqListCommand.Build());
        dlq.Subcommands.Add(DlqShowCommand.Build());
        dlq.Subcommands.Add(DlqReplayCommand.Build());
        return dlq;
    }

    public static Option<string> BootstrapOption() => new("--bootstrap-servers", "-b") { Description = "The Kafka cluster, host:port[,host:port…].", Required = true };

    public static Option<string[]> ClientConfigOption() => new("--config", "-c")
    {
        Description = "A Kafka client setting KEY=VALUE (repeatable), e.g. security.protocol=SASL_SSL",
        DefaultValueFactory = _ => [],
    };

    public static Option<string?> RegistryOption() => new("--schema-registry-url") { Description = "The schema registry, to decode Avro (mock://<scope> for an in-process one)." };

    public static Option<string?> ReasonOption() => new("--reason") { Description = "Only records whose reason contains this text (case-insensitive)." };

    public static Option<string> TopicOption() => new("--topic", "-t") { Description = "The dead-letter topic, dlq.<stage>.", Required = true };

    public static DeadLetterCluster Cluster(ParseResult parse, Option<string> bootstrap, Option<string[]> config)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(config) ?? [])
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new DeadLetterInputException($"--config '{pair}' must be KEY=VALUE");
            }

            settings[pair[..separator].Trim()] = pair[(separator + 1)..];
        }

        return new DeadLetterCluster(parse.GetValue(bootstrap)!, settings);
    }

    public static ISchemaRegistryClient? Registry(string? url) => url is null ? null : AvroSerdes.CreateRegistry(new SchemaRegistrySettings(url));

    /// <summary>A time given on the command line: ISO 8601, UTC unless it says otherwise.</summary>
    public static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new DeadLetterInputException($"{option} '{text}' is not a time; use ISO 8601, e.g. 2026-11-26T12:00:00Z");

    /// <summary>Runs a subcommand: bad input exits 2 and a cluster failure 1, each with one clear line.</summary>
    public static int Run(TextWriter error, string name, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (DeadLetterInputException ex)
        {
            error.WriteLine($"streams dlq {name}: {ex.Message}");
            return BadInput;
        }
        catch (KafkaException ex)
        {
            error.WriteLine($"streams dlq {name}: Kafka: {ex.Message}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"streams dlq {name}: interrupted; what was committed stays, and running the same command again resumes without repeating it");
            return Failed;
        }
        catch (StreamsConfigException ex)
        {
            error.WriteLine($"streams dlq {name}: {ex.Message}");
            return BadInput;
        }
    }

    /// <summary>At most <paramref name="length"/> characters on one line.</summary>
    public static string Short(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
