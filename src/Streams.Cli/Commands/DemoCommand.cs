using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Streams.Cli.Demo;
using Streams.Runtime;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams demo</c>: the whole pipeline on the embedded default over samples/, with live progress, stopping by
/// itself once everything read has been indexed, then a summary per source. Exit 0 when every record read is
/// accounted for (curated, dropped as a duplicate or dead-lettered), 1 when not or when a part failed, 2 on bad input.
/// </summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the NDJSON bulk files go, one per daily index", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var elasticsearch = new Option<Uri?>("--elasticsearch") { Description = "Index into this Elasticsearch instead of files" };
        var city = new Option<FileInfo?>("--geoip-city") { Description = "A GeoIP2/GeoLite2 City database (default: samples/geoip/demo-city.mmdb)" };
        var asn = new Option<FileInfo?>("--geoip-asn") { Description = "A GeoLite2 ASN database (default: samples/geoip/demo-asn.mmdb)" };
        var samples = new Option<DirectoryInfo?>("--samples") { Description = "The inputs (default: the repository's samples/)" };
        var topics = new Option<FileInfo?>("--topics") { Description = "The topics to create (default: the repository's topics.yaml)" };
        var keepState = new Option<bool>("--keep-state") { Description = "Keep the NDJSON files of earlier runs instead of starting from empty ones" };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds", DefaultValueFactory = _ => 300 };
        var command = new Command("demo", "Run the whole pipeline on an embedded Kafka over the samples and print what became of every record")
        {
            output, elasticsearch, city, asn, samples, topics, keepState, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var writer = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var root = RepositoryRoot();
            var samplesDir = parse.GetValue(samples)?.FullName ?? (root is null ? null : Path.Combine(root, "samples"));
            var topicsFile = parse.GetValue(topics)?.FullName ?? (root is null ? null : Path.Combine(root, "topics.yaml"));
            if (samplesDir is null || !Directory.Exists(samplesDir) || topicsFile is null)
            {
                await error.WriteLineAsync("streams demo: no samples/ and topics.yaml found above the current directory: give --samples and --topics");
                return 2;
            }

            var options = new DemoOptions
            {
                SamplesDirectory = samplesDir,
                OutputDirectory = parse.GetValue(output)!.FullName,
                TopicsFile = topicsFile,
                ElasticsearchUrl = parse.GetValue(elasticsearch)?.ToString(),
                GeoCityPath = parse.GetValue(city)?.FullName,
                GeoAsnPath = parse.GetValue(asn)?.FullName,
                KeepState = parse.GetValue(keepState),
                Timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
            };
            return await RunAsync(options, writer, error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(DemoOptions options, TextWriter writer, TextWriter error, CancellationToken cancellationToken)
    {
        var console = ConsoleFor(writer);
        string? lastPhase = null;
        var lastLine = TimeSpan.Zero;
        void Show(DemoProgress progress)
        {
            if (progress.Phase != lastPhase)
            {
                lastPhase = progress.Phase;
                lastLine = progress.Elapsed;
                console.MarkupLine($"[grey]{progress.Elapsed.TotalSeconds,5:0.0} s[/] {Markup.Escape(progress.Phase)}");
            }
            else if (progress.Elapsed - lastLine >= TimeSpan.FromSeconds(2) && progress.Sources.Count > 0)
            {
                lastLine = progress.Elapsed;
                var s = progress.Sources;
                console.MarkupLine($"[grey]{progress.Elapsed.TotalSeconds,5:0.0} s[/]   read {s.Sum(x => x.Read)}, curated {s.Sum(x => x.Curated)}, duplicates {s.Sum(x => x.Duplicates)}, dead-lettered {s.Sum(x => x.DeadLettered)}, indexed {progress.Indexed}");
            }
        }

        DemoReport report;
        try
        {
            report = console.Profile.Capabilities.Interactive
                ? await console.Live(ProgressTable(null)).StartAsync(async live => await DemoPipeline.RunAsync(options, p => live.UpdateTarget(ProgressTable(p)), cancellationToken))
                : await DemoPipeline.RunAsync(options, Show, cancellationToken);
        }
        catch (Exception ex) when (ex is DemoException or StreamsConfigException or IOException)
        {
            await error.WriteLineAsync("streams demo: " + ex.Message);
            return ex is StreamsConfigException ? 2 : 1;
        }

        console.Write(SummaryTable(report));
        console.Write(IndexTable(report));
        console.MarkupLine($"Indexed into [bold]{Markup.Escape(report.Target)}[/] in {report.Elapsed.TotalSeconds:0.0} s; {report.SinkDeadLettered} document(s) refused by the index (dlq.sink).");
        if (report.Sources.All(s => s.Balanced))
        {
            console.MarkupLine("Every record read is accounted for: curated, dropped as a duplicate, or dead-lettered with a reason.");
            return 0;
        }

        await error.WriteLineAsync("streams demo: some records are unaccounted for: " + string.Join(", ", report.Sources.Where(s => !s.Balanced).Select(s => s.Source)));
        return 1;
    }

    private static IAnsiConsole ConsoleFor(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    private static Table ProgressTable(DemoProgress? progress)
    {
        var table = new Table().Title(progress is null ? "starting" : $"{Markup.Escape(progress.Phase)} ({progress.Elapsed.TotalSeconds:0.0} s, {progress.Indexed} indexed)");
        table.AddColumns("source", "read", "curated", "duplicates", "dead-lettered");
        foreach (var s in progress?.Sources ?? [])
        {
            table.AddRow(s.Source, N(s.Read), N(s.Curated), N(s.Duplicates), N(s.DeadLettered));
        }

        return table;
    }

    private static Table SummaryTable(DemoReport report)
    {
        var table = new Table().Title("What became of every record");
        table.AddColumn("source");
        foreach (var column in new[] { "read", "curated", "duplicates dropped", "dead-lettered", "geo hit rate" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn("top dead-letter reasons");
        foreach (var s in report.Sources)
        {
            var reasons = string.Join("\n", s.TopReasons.Select(r => $"{r.Count} × {Shorten(r.Reason, 70)}"));
            table.AddRow(
                Markup.Escape(s.Source),
                N(s.Read),
                N(s.Curated),
                N(s.Duplicates),
                N(s.DeadLettered),
                s.GeoHitRate is { } rate ? rate.ToString("P0", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(reasons.Length == 0 ? "-" : reasons));
        }

        var t = report.Sources;
        table.AddRow("[bold]all[/]", N(t.Sum(s => s.Read)), N(t.Sum(s => s.Curated)), N(t.Sum(s => s.Duplicates)), N(t.Sum(s => s.DeadLettered)), string.Empty, string.Empty);
        return table;
    }

    private static Table IndexTable(DemoReport report)
    {
        var table = new Table().Title("Documents per daily index");
        table.AddColumn("index");
        table.AddColumn(new TableColumn("documents").RightAligned());
        foreach (var (index, count) in report.DocumentsPerIndex)
        {
            table.AddRow(Markup.Escape(index), N(count));
        }

        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>The nearest directory above the current one (or the program) that holds samples/expected.json.</summary>
    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "samples", "expected.json")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
