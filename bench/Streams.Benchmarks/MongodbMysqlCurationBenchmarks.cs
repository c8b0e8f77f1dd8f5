using BenchmarkDotNet.Attributes;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;

namespace Streams.Benchmarks;

/// <summary>
/// The whole per-record curation of MongoDB and MySQL (parse, fingerprint, normalise) on the raw records the file
/// connectors make of tests/corpus, per line or entry (a mean over the corpus entries of that kind).
/// </summary>
[MemoryDiagnoser]
public class MongodbMysqlCurationBenchmarks
{
    private const int PerInvoke = 32;

    private readonly MongodbCuration _mongodb = new();
    private readonly MysqlCuration _mysql = new(TimeZoneInfo.Utc);
    private MongodbRaw[] _mongodbJson = null!;
    private MongodbRaw[] _mongodbLegacy = null!;
    private MysqlRaw[] _mysqlGeneral = null!;
    private MysqlRaw[] _mysqlSlow = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mongodb = CorpusSamples.Raw("mongodb").Cast<MongodbRaw>().ToArray();
        _mongodbJson = mongodb.Where(r => r.text.TrimStart().StartsWith('{')).ToArray();
        _mongodbLegacy = mongodb.Where(r => !r.text.TrimStart().StartsWith('{')).ToArray();
        var mysql = CorpusSamples.Raw("mysql").Cast<MysqlRaw>().ToArray();
        _mysqlGeneral = mysql.Where(r => r.kind == MysqlRawKind.GENERAL_FILE).ToArray();
        _mysqlSlow = mysql.Where(r => r.kind == MysqlRawKind.SLOW_FILE).ToArray();
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Mongodb_json_line() => Loop(_mongodbJson, r => _mongodb.Curate(r).Curated is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Mongodb_legacy_line() => Loop(_mongodbLegacy, r => _mongodb.Curate(r).Curated is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Mysql_general_entry() => Loop(_mysqlGeneral, r => _mysql.Curate(r).Curated is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Mysql_slowlog_entry() => Loop(_mysqlSlow, r => _mysql.Curate(r).Curated is null ? 0 : 1);

    // The same count of records per invocation for every kind, cycling through the corpus.
    private static int Loop<T>(T[] items, Func<T, int> curate)
    {
        var ok = 0;
        for (var i = 0; i < PerInvoke; i++)
        {
            ok += curate(items[i % items.Length]);
        }

        return ok;
    }
}
