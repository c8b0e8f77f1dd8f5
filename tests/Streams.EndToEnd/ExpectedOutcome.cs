using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Streams.Connectors.Elb;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.EndToEnd;

/// <summary>
/// What the pipeline must produce for the finished input, computed without Kafka, connectors or Elasticsearch: the
/// curation topology run in the test driver over the same text (what <c>streams curate</c> prints), and for the
/// mysql general log over its rows as read back from MariaDB at the end.
/// </summary>
/// <param name="ConnectDeadLetters">Entries too large for a Kafka record and damaged log objects, which the connectors dead-letter to dlq.connect.</param>
/// <param name="DamagedObjects">The keys of the log objects that are not whole gzip members (dead-lettered with their key).</param>
/// <param name="MysqlSecrets">The passwords in the statements that reached the general log, which redaction must remove.</param>
internal sealed record ExpectedOutcome(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> DocumentsPerSource,
    IReadOnlyDictionary<string, int> DeadLettersPerSource,
    int ConnectDeadLetters,
    IReadOnlyList<string> DamagedObjects,
    int MysqlSecrets)
{
    public IEnumerable<string> DocumentIds => DocumentsPerSource.Values.SelectMany(d => d.Keys);

    /// <param name="generalLog">The rows of mysql.general_log the connector is to read, from <see cref="PipelineUnderTest.FinishMysqlAsync"/>.</param>
    public static ExpectedOutcome For(PipelineUnderTest pipeline, IReadOnlyList<MysqlRaw> generalLog)
    {
        var now = DateTime.UtcNow;
        var documents = new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        var dead = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string source, (List<CuratedDocument> Documents, List<DeadLetteredInput> DeadLetters) curated)
        {
            documents[source] = curated.Documents.GroupBy(d => d.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            dead[source] = curated.DeadLetters.Count;
        }

        var oversized = 0;
        foreach (var (source, path, origin) in new[]
        {
            ("laravel", pipeline.LaravelPath, pipeline.LaravelOrigin),
            ("mongodb", pipeline.MongodbPath, pipeline.MongodbOrigin),
        })
        {
            // One entry a line in these sources: a line over max.record.bytes never reaches the topology.
            var lines = Encoding.UTF8.GetString(File.ReadAllBytes(path)).Split('\n');
            bool TooLarge(string line) => Encoding.UTF8.GetByteCount(line) > Connectors.Framework.SourceConnectorOptions.DefaultMaxRecordBytes;
            oversized += lines.Count(TooLarge);
            var text = string.Join('\n', lines.Where(l => !TooLarge(l)));
            Add(source, OfflineCuration.Run(source, text, origin, now, GeoIpEnricher.Disabled, TimeZoneInfo.Utc));
        }

        // Load balancer logs: every object in key order, gunzipped where named .gz; a damaged one gives no line.
        var damaged = new List<string>();
        var elbText = new StringBuilder();
        var keys = Directory.EnumerateFiles(pipeline.ElbRoot, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(pipeline.ElbRoot, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var stored = File.ReadAllBytes(Path.Combine(pipeline.ElbRoot, key));
            if (!key.EndsWith(".gz", StringComparison.Ordinal))
            {
                elbText.Append(Encoding.UTF8.GetString(stored)).Append('\n');
            }
            else if (Gunzip(stored) is { } data)
            {
                elbText.Append(Encoding.UTF8.GetString(data)).Append('\n');
            }
            else
            {
                damaged.Add(key);
            }
        }

        using (var store = new DirectoryObjectStore(pipeline.ElbRoot))
        {
            Add("elb", OfflineCuration.Run("elb", elbText.ToString(), store.Origin, now, GeoIpEnricher.Disabled, TimeZoneInfo.Utc));
        }

        var mysql = generalLog.Select(row => new NativeRecord(CurationOptions.RawTopic("mysql"), row.origin, row));
        Add("mysql", OfflineCuration.Run(mysql, now, GeoIpEnricher.Disabled, TimeZoneInfo.Utc));
        var secrets = generalLog.Count(r => r.argument?.Contains(InputGenerator.MysqlSecretPrefix, StringComparison.Ordinal) == true);
        return new ExpectedOutcome(documents, dead, oversized + damaged.Count, damaged, secrets);
    }

    /// <summary>The data of a single gzip member whose trailer (CRC-32 and length, RFC 1952) matches it; null when damaged.</summary>
    private static byte[]? Gunzip(byte[] stored)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
            using var data = new MemoryStream();
            gzip.CopyTo(data);
            var bytes = data.ToArray();
            var trailer = stored.AsSpan(stored.Length - 8);
            return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == Crc32.HashToUInt32(bytes)
                && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)bytes.Length
                ? bytes
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
