using BenchmarkDotNet.Attributes;
using Streams.Topology.Elb;
using Streams.Topology.Laravel;
using Streams.Topology.Mongodb;
using Streams.Topology.Mysql;

namespace Streams.Benchmarks;

/// <summary>Each source's parser on the entries of tests/corpus, per entry (the figures are a mean over the file's entries).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private MysqlLogEntryText[] _general = null!;
    private MysqlLogEntryText[] _slow = null!;
    private string[] _mongodb = null!;
    private string[] _laravel = null!;
    private string[] _elb = null!;

    [GlobalSetup]
    public void Setup()
    {
        _general = CorpusSamples.MysqlGeneral();
        _slow = CorpusSamples.MysqlSlow();
        _mongodb = CorpusSamples.Mongodb();
        _laravel = CorpusSamples.Laravel();
        _elb = CorpusSamples.Elb();
    }

    [Benchmark(OperationsPerInvoke = 32)]
    public int Mysql_general_entry() => Loop(_general, e => MysqlGeneralLogFileParser.ParseEntry(e).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = 32)]
    public int Mysql_slowlog_entry() => Loop(_slow, e => MysqlSlowLogFileParser.ParseEntry(e).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = 32)]
    public int Mongodb_line() => Loop(_mongodb, l => MongodbLogParser.Parse(l).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = 32)]
    public int Laravel_entry() => Loop(_laravel, e => LaravelLogParser.ParseEntry(e).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = 32)]
    public int Elb_line() => Loop(_elb, l => ElbAccessLogParser.Parse(l).Value is null ? 0 : 1);

    // 32 entries per invocation, cycling through the corpus, so every parser is measured on the same count.
    private static int Loop<T>(T[] items, Func<T, int> parse)
    {
        var ok = 0;
        for (var i = 0; i < 32; i++)
        {
            ok += parse(items[i % items.Length]);
        }

        return ok;
    }
}
