using Avro.Specific;
using Streams.Contracts.Raw;
using Streams.Topology.Laravel;
using Streams.Topology.Mysql;

namespace Streams.Topology.Curation;

/// <summary>A raw record made from native log text, with the topic it belongs on.</summary>
public sealed record NativeRecord(string Topic, string Key, ISpecificRecord Raw);

/// <summary>
/// Turns a source's native log text into the raw records a file connector would produce (one per entry, multi-line
/// entries joined), so `streams curate` and tests run the real topology on files.
/// </summary>
public static class NativeText
{
    public static readonly IReadOnlyList<string> Kinds = ["elb", "mysql-general", "mysql-slowlog", "mongodb", "laravel"];

    public static IEnumerable<NativeRecord> Read(string kind, string text, string origin, DateTime ingestedAt)
    {
        var offset = 0;
        string Next() => (offset++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (kind)
        {
            case "elb":
                foreach (var line in Lines(text))
                {
                    yield return new NativeRecord(CurationOptions.RawTopic("elb"), origin, new ElbRaw { origin = origin, ingested_at = ingestedAt, offset = Next(), text = line, bucket = Path.GetDirectoryName(origin) ?? string.Empty, object_key = Path.GetFileName(origin), line_number = offset });
                }

                break;
            case "mongodb":
                foreach (var line in Lines(text))
                {
                    yield return new NativeRecord(CurationOptions.RawTopic("mongodb"), origin, new MongodbRaw { origin = origin, ingested_at = ingestedAt, offset = Next(), kind = MongodbRawKind.FILE_LINE, text = line });
                }

                break;
            case "laravel":
                foreach (var entry in LaravelLogParser.SplitEntries(text))
                {
                    yield return new NativeRecord(CurationOptions.RawTopic("laravel"), origin, new LaravelRaw { origin = origin, ingested_at = ingestedAt, offset = Next(), text = entry, file_path = origin, file_identity = origin, byte_offset = offset });
                }

                break;
            case "mysql-general":
            case "mysql-slowlog":
                var entries = kind == "mysql-general" ? MysqlGeneralLogFileParser.SplitEntries(text) : MysqlSlowLogFileParser.SplitEntries(text);
                var rawKind = kind == "mysql-general" ? MysqlRawKind.GENERAL_FILE : MysqlRawKind.SLOW_FILE;
                foreach (var entry in entries)
                {
                    yield return new NativeRecord(CurationOptions.RawTopic("mysql"), origin, new MysqlRaw { origin = origin, ingested_at = ingestedAt, offset = Next(), kind = rawKind, text = entry.Text, inherited_time = entry.InheritedTime });
                }

                break;
            default:
                throw new ArgumentException($"unknown source '{kind}'; one of: {string.Join(", ", Kinds)}", nameof(kind));
        }
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
}
