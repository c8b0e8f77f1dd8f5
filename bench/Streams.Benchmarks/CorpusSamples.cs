using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;
using Streams.Topology.Laravel;
using Streams.Topology.Mysql;

namespace Streams.Benchmarks;

/// <summary>Entries of tests/corpus as the parsers and the curation see them, and the repository's paths.</summary>
internal static class CorpusSamples
{
    public static readonly DateTime IngestedAt = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    public static string Root { get; } = FindRoot();

    public static string Directory => Path.Combine(Root, "tests", "corpus");

    /// <summary>A corpus file without its "# origin:" comment line.</summary>
    public static string Text(string file) =>
        string.Join('\n', File.ReadAllLines(Path.Combine(Directory, file)).Where(l => !l.StartsWith("# origin:", StringComparison.Ordinal))) + "\n";

    public static string[] Lines(params string[] files) =>
        files.SelectMany(f => Text(f).Split('\n')).Where(l => l.Length > 0).ToArray();

    public static MysqlLogEntryText[] MysqlGeneral() => MysqlGeneralLogFileParser.SplitEntries(Text("mysql-general-mariadb-10.11.log")).ToArray();

    public static MysqlLogEntryText[] MysqlSlow() =>
        new[] { "mysql-slowlog-8.0.log", "mysql-slowlog-mariadb-10.3.log", "mysql-slowlog-mariadb-10.11.log" }.SelectMany(f => MysqlSlowLogFileParser.SplitEntries(Text(f))).ToArray();

    public static string[] Laravel() => LaravelLogParser.SplitEntries(Text("laravel.log")).ToArray();

    public static string[] Mongodb() => Lines("mongodb-4.4-json.log", "mongodb-3.2-legacy.log");

    public static string[] Elb() => Lines("elb-alb.log", "elb-alb-2.log", "elb-classic.log", "elb-nlb.log");

    /// <summary>The raw records of one source, as the file connectors would produce them.</summary>
    public static List<ISpecificRecord> Raw(string source) => source switch
    {
        "mysql" => Read(("mysql-general", "mysql-general-mariadb-10.11.log"), ("mysql-slowlog", "mysql-slowlog-8.0.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.3.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.11.log")),
        "mongodb" => Read(("mongodb", "mongodb-4.4-json.log"), ("mongodb", "mongodb-3.2-legacy.log")),
        "laravel" => Read(("laravel", "laravel.log")),
        "elb" => Read(("elb", "elb-alb.log"), ("elb", "elb-alb-2.log"), ("elb", "elb-classic.log"), ("elb", "elb-nlb.log")),
        _ => throw new ArgumentException("unknown source " + source, nameof(source)),
    };

    /// <summary>The curated records of one source: every corpus entry that curates, as the topology forwards it.</summary>
    public static List<ISpecificRecord> Curated(string source)
    {
        var raw = Raw(source);
        return source switch
        {
            "mysql" => Curate(new MysqlCuration(TimeZoneInfo.Utc), raw.Cast<MysqlRaw>()),
            "mongodb" => Curate(new MongodbCuration(), raw.Cast<MongodbRaw>()),
            "laravel" => Curate(new LaravelCuration(TimeZoneInfo.Utc), raw.Cast<LaravelRaw>()),
            "elb" => Curate(new ElbCuration(), raw.Cast<ElbRaw>()),
            _ => throw new ArgumentException("unknown source " + source, nameof(source)),
        };
    }

    private static List<ISpecificRecord> Curate<TRaw, TCurated>(ISourceCuration<TRaw, TCurated> curation, IEnumerable<TRaw> raw)
        where TRaw : class, ISpecificRecord
        where TCurated : class, ISpecificRecord =>
        raw.Select(r => curation.Curate(r).Curated).OfType<ISpecificRecord>().ToList();

    private static List<ISpecificRecord> Read(params (string Kind, string File)[] files) =>
        files.SelectMany(f => NativeText.Read(f.Kind, Text(f.File), "bench/" + f.File, IngestedAt).Select(r => r.Raw)).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streams.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository (Streams.sln not found above " + AppContext.BaseDirectory + ")");
    }
}
