using Avro.Specific;
using Confluent.Kafka;
using Streams.Contracts;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;

namespace Streams.Bench.E2E;

/// <summary>One raw record ready to produce: topic, key (the origin), Avro value in Confluent's wire format.</summary>
internal readonly record struct RawRecord(string Topic, byte[] Key, byte[] Value);

/// <summary>
/// Raw records mixed evenly across the four sources, shaped like tests/corpus: every corpus entry that curates is a
/// template, and each fresh record gets its own origin so its fingerprint is new. About 5% repeat an earlier
/// record exactly (dropped by dedup) and 1% are malformed (half unparseable text, half bytes that are not Avro).
/// </summary>
internal sealed class Workload
{
    private enum RecordKind
    {
        Fresh,
        Malformed,
        NotAvro,
    }

    /// <summary>How raw records are written into the embedded cluster, as a connector would: idempotent, acks=all, keyed by origin.</summary>
    public static ProducerConfig RawProducer(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 20,
        Partitioner = Partitioner.Murmur2Random,
    };

    private static readonly byte[] NotAvro = [0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3];
    private readonly SourceTemplates[] _sources;

    public Workload(string corpusDirectory, RegistryScope registry)
    {
        var now = DateTime.UtcNow;
        _sources =
        [
            SourceTemplates.Create<MysqlRaw, MysqlCurated>("mysql", new MysqlCuration(TimeZoneInfo.Utc), registry, Read(corpusDirectory, now, ("mysql-general", "mysql-general-mariadb-10.11.log"), ("mysql-slowlog", "mysql-slowlog-8.0.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.3.log"), ("mysql-slowlog", "mysql-slowlog-mariadb-10.11.log"))),
            SourceTemplates.Create<MongodbRaw, MongodbCurated>("mongodb", new MongodbCuration(), registry, Read(corpusDirectory, now, ("mongodb", "mongodb-4.4-json.log"), ("mongodb", "mongodb-3.2-legacy.log"))),
            SourceTemplates.Create<LaravelRaw, LaravelCurated>("laravel", new LaravelCuration(TimeZoneInfo.Utc), registry, Read(corpusDirectory, now, ("laravel", "laravel.log"))),
            SourceTemplates.Create<ElbRaw, ElbCurated>("elb", new ElbCuration(), registry, Read(corpusDirectory, now, ("elb", "elb-alb.log"), ("elb", "elb-alb-2.log"), ("elb", "elb-classic.log"), ("elb", "elb-nlb.log"))),
        ];
    }

    public IReadOnlyList<string> RawTopics => _sources.Select(s => CurationOptions.RawTopic(s.Source)).ToList();

    public string Describe() => string.Join(", ", _sources.Select(s => $"{s.Source}: {s.Count} templates"));

    /// <summary>Record number <paramref name="i"/> of the run whose records are numbered from <paramref name="first"/>.</summary>
    public RawRecord Next(long i, DateTime ingestedAt) => Record(i, ingestedAt, spliced: null);

    /// <summary>
    /// The same records as <see cref="Next"/>, all with the ingestion time <paramref name="ingestedAt"/>, made by
    /// splicing each record's origin into its template's bytes instead of serializing it: the feeder stands in for
    /// producers on other machines, and serializing took a third of its thread.
    /// </summary>
    public Func<long, RawRecord> At(DateTime ingestedAt)
    {
        var spliced = _sources.Select(s => s.Splice(ingestedAt)).ToArray();
        return i => Record(i, ingestedAt, spliced);
    }

    /// <summary>Record <paramref name="i"/>: a fresh one spliced when <paramref name="spliced"/> is given, else serialized.</summary>
    private RawRecord Record(long i, DateTime ingestedAt, SplicedTemplates[]? spliced)
    {
        var (index, n, kind) = Pick(i);
        var source = _sources[index];
        return kind switch
        {
            RecordKind.NotAvro => new RawRecord(source.Topic, "malformed"u8.ToArray(), NotAvro),
            RecordKind.Fresh when spliced is not null => spliced[index].Build(n),
            _ => source.Build(n, ingestedAt, malformed: kind == RecordKind.Malformed),
        };
    }

    /// <summary>Which source record <paramref name="i"/> comes from (its index), its number there, and what it is.</summary>
    private (int Source, long N, RecordKind Kind) Pick(long i)
    {
        var source = (int)(i % _sources.Length);
        var n = i / _sources.Length;
        var roll = Mix(i) % 1000;
        if (roll < 10)
        {
            return (source, n, roll < 5 ? RecordKind.NotAvro : RecordKind.Malformed);
        }

        if (roll < 60 && n > 0)
        {
            // Exactly an earlier record of the same source: same origin, same entry, so the same event id.
            return (source, n - 1 - (long)(Mix(i + 1) % (ulong)Math.Min(n, 5_000)), RecordKind.Fresh);
        }

        return (source, n, RecordKind.Fresh);
    }

    private static ulong Mix(long i)
    {
        var x = (ulong)i * 0x9E3779B97F4A7C15UL;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        return x ^ (x >> 29);
    }

    private static List<ISpecificRecord> Read(string directory, DateTime now, params (string Kind, string File)[] files)
    {
        var records = new List<ISpecificRecord>();
        foreach (var (kind, file) in files)
        {
            var lines = File.ReadAllLines(Path.Combine(directory, file)).Where(l => !l.StartsWith("# origin:", StringComparison.Ordinal));
            records.AddRange(NativeText.Read(kind, string.Join('\n', lines) + "\n", "bench/" + file, now).Select(r => r.Raw));
        }

        return records;
    }
}

/// <summary>Lets the workload and the topology share one in-process registry scope.</summary>
internal sealed record RegistryScope(Confluent.SchemaRegistry.ISchemaRegistryClient Client, SchemaRegistrySettings Settings);

/// <summary>The curating templates of one source, and its serializer.</summary>
internal sealed class SourceTemplates
{
    private readonly ISpecificRecord[] _templates;
    private readonly Func<ISpecificRecord, byte[]> _serialize;
    private readonly int _origin;
    private readonly int _ingested;
    private readonly int _text;

    private SourceTemplates(string source, ISpecificRecord[] templates, Func<ISpecificRecord, byte[]> serialize)
    {
        Source = source;
        Topic = CurationOptions.RawTopic(source);
        _templates = templates;
        _serialize = serialize;
        var schema = (Avro.RecordSchema)templates[0].Schema;
        _origin = schema.Fields.First(f => f.Name == "origin").Pos;
        _ingested = schema.Fields.First(f => f.Name == "ingested_at").Pos;
        _text = schema.Fields.First(f => f.Name == "text").Pos;
    }

    public string Source { get; }

    public string Topic { get; }

    public int Count => _templates.Length;

    public static SourceTemplates Create<TRaw, TCurated>(string source, ISourceCuration<TRaw, TCurated> curation, RegistryScope registry, List<ISpecificRecord> candidates)
        where TRaw : class, ISpecificRecord
        where TCurated : class, ISpecificRecord
    {
        var serde = AvroSerdes.Specific<TRaw>(registry.Client, registry.Settings);
        var topic = CurationOptions.RawTopic(source);
        var templates = candidates.OfType<TRaw>().Where(r => curation.Curate(r).Curated is not null).Cast<ISpecificRecord>().ToArray();
        if (templates.Length == 0)
        {
            throw new InvalidOperationException($"no corpus entry of {source} curates");
        }

        return new SourceTemplates(source, templates, r => serde.Serialize((TRaw)r, topic)!);
    }

    /// <summary>
    /// Records as <see cref="Build"/> makes them (not malformed) with the ingestion time <paramref name="ingestedAt"/>:
    /// each template serialized once with a marker for its origin, cut around it. Each cut is checked against the
    /// serializer's own bytes for one record.
    /// </summary>
    public SplicedTemplates Splice(DateTime ingestedAt)
    {
        const string Marker = "\u0001origin\u0001";
        var markerBytes = System.Text.Encoding.UTF8.GetBytes(Marker);
        var parts = new (byte[] Before, byte[] After, byte[] Origin)[_templates.Length];
        for (var t = 0; t < _templates.Length; t++)
        {
            var template = _templates[t];
            lock (template)
            {
                var origin = (string)template.Get(_origin);
                var ingested = template.Get(_ingested);
                try
                {
                    template.Put(_origin, Marker);
                    template.Put(_ingested, ingestedAt);
                    var bytes = _serialize(template);
                    var at = bytes.AsSpan().IndexOf(markerBytes);

                    // An Avro string is its length (a zig-zag varint: one byte for the marker's) and its UTF-8 bytes.
                    if (at < 1 || bytes.AsSpan(at + markerBytes.Length).IndexOf(markerBytes) >= 0 || bytes[at - 1] != markerBytes.Length * 2)
                    {
                        throw new InvalidOperationException($"{Source} template {t}: the origin marker is not where an Avro string would be");
                    }

                    parts[t] = (bytes[..(at - 1)], bytes[(at + markerBytes.Length)..], System.Text.Encoding.UTF8.GetBytes(origin));
                }
                finally
                {
                    template.Put(_origin, origin);
                    template.Put(_ingested, ingested);
                }
            }
        }

        var spliced = new SplicedTemplates(Topic, parts);
        for (var t = 0; t < _templates.Length; t++)
        {
            var n = _templates.Length + t;
            var (made, serialized) = (spliced.Build(n), Build(n, ingestedAt, malformed: false));
            if (!made.Value.AsSpan().SequenceEqual(serialized.Value) || !made.Key.AsSpan().SequenceEqual(serialized.Key))
            {
                throw new InvalidOperationException($"{Source} template {t}: the spliced record differs from the serialized one");
            }
        }

        return spliced;
    }

    /// <summary>Fresh record n: template n mod count, origin n div count, so (origin, entry) never repeats.</summary>
    public RawRecord Build(long n, DateTime ingestedAt, bool malformed)
    {
        var template = _templates[n % _templates.Length];
        lock (template)
        {
            var origin = (string)template.Get(_origin);
            var text = (string)template.Get(_text);
            var key = $"{origin}#{n / _templates.Length}";
            try
            {
                template.Put(_origin, key);
                template.Put(_ingested, ingestedAt);
                if (malformed)
                {
                    template.Put(_text, "%% not a log line " + n);
                }

                return new RawRecord(Topic, System.Text.Encoding.UTF8.GetBytes(key), _serialize(template));
            }
            finally
            {
                template.Put(_origin, origin);
                template.Put(_text, text);
            }
        }
    }
}

/// <summary>
/// A source's templates cut around their origin: record n is template n mod count with the origin "origin#k",
/// k = n div count. For one thread: records are written in one reused buffer.
/// </summary>
internal sealed class SplicedTemplates(string topic, (byte[] Before, byte[] After, byte[] Origin)[] parts)
{
    private readonly MemoryStream _value = new();

    public RawRecord Build(long n)
    {
        var (before, after, origin) = parts[n % parts.Length];
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(n / parts.Length, digits, out var digitCount);
        var key = new byte[origin.Length + 1 + digitCount];
        origin.CopyTo(key, 0);
        key[origin.Length] = (byte)'#';
        digits[..digitCount].CopyTo(key.AsSpan(origin.Length + 1));

        // The origin as Avro writes a string: its length, then its UTF-8 bytes (what it writes for bytes too).
        _value.SetLength(0);
        _value.Write(before);
        new Avro.IO.BinaryEncoder(_value).WriteBytes(key);
        _value.Write(after);
        return new RawRecord(topic, key, _value.ToArray());
    }
}
