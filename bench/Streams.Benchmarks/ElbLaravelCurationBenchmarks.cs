using BenchmarkDotNet.Attributes;
using Streams.Contracts.Raw;
using Streams.Topology.Curation;
using Streams.Topology.Elb;
using Streams.Topology.Laravel;
using Streams.Topology.Normalising;

namespace Streams.Benchmarks;

/// <summary>
/// ELB and Laravel curation per line/entry of tests/corpus: the whole source step as the topology runs it
/// (parse, fingerprint, normalise), and its parse and normalise parts on their own.
/// </summary>
[MemoryDiagnoser]
public class ElbLaravelCurationBenchmarks
{
    private const int PerInvoke = 32;

    private readonly ElbCuration _elbCuration = new();
    private readonly LaravelCuration _laravelCuration = new(TimeZoneInfo.Utc);
    private readonly CurationContext _context = new("bench/origin.log", "0123456789abcdef", new DateTimeOffset(CorpusSamples.IngestedAt));
    private ElbRaw[] _elbRaw = null!;
    private LaravelRaw[] _laravelRaw = null!;
    private ElbAccessLogEntry[] _elbEntries = null!;
    private LaravelEntry[] _laravelEntries = null!;

    [GlobalSetup]
    public void Setup()
    {
        _elbRaw = CorpusSamples.Raw("elb").Cast<ElbRaw>().ToArray();
        _laravelRaw = CorpusSamples.Raw("laravel").Cast<LaravelRaw>().ToArray();
        _elbEntries = _elbRaw.Select(r => ElbAccessLogParser.Parse(r.text).Value).OfType<ElbAccessLogEntry>().ToArray();
        _laravelEntries = _laravelRaw.Select(r => LaravelLogParser.ParseEntry(r.text).Value).OfType<LaravelEntry>().ToArray();
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Elb_curate() => Loop(_elbRaw, r => _elbCuration.Curate(r).Curated is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Elb_parse() => Loop(_elbRaw, r => ElbAccessLogParser.Parse(r.text).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Elb_normalise() => Loop(_elbEntries, e => ElbNormaliser.Normalise(e, _context).aws is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Laravel_curate() => Loop(_laravelRaw, r => _laravelCuration.Curate(r).Curated is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Laravel_parse() => Loop(_laravelRaw, r => LaravelLogParser.ParseEntry(r.text, TimeZoneInfo.Utc).Value is null ? 0 : 1);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public int Laravel_normalise() => Loop(_laravelEntries, e => LaravelNormaliser.Normalise(e, _context).laravel is null ? 0 : 1);

    // A fixed count per invocation, cycling through the corpus, so the figures are per line or entry.
    private static int Loop<T>(T[] items, Func<T, int> step)
    {
        var ok = 0;
        for (var i = 0; i < PerInvoke; i++)
        {
            ok += step(items[i % items.Length]);
        }

        return ok;
    }
}
