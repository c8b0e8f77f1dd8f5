using BenchmarkDotNet.Attributes;
using Streams.Runtime;
using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;
using Streams.Runtime.State;
using Streams.Runtime.Testing;

namespace Streams.Benchmarks;

/// <summary>
/// The dedup path's cost per record: a window-store lookup and put through the topology test driver, with the
/// store in memory and in RocksDB (changelog records captured, as the engine would send them in the transaction).
/// </summary>
[MemoryDiagnoser]
public class StateStoreBenchmarks
{
    private const int Records = 10_000;
    private TopologyTestDriver _driver = null!;
    private byte[][] _keys = null!;
    private long _timestamp;

    [Params(false, true)]
    public bool RocksDb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = Stores.Window("seen", TimeSpan.FromHours(1), Serdes.String, Serdes.Long);
        if (!RocksDb)
        {
            store.InMemory();
        }

        var topology = new TopologyBuilder()
            .AddSource("in", Serdes.String, Serdes.ByteArray, "in")
            .AddProcessor("dedup", () => new FirstSeen(), "in")
            .AddStateStore(store, "dedup")
            .Build();
        _driver = new TopologyTestDriver(topology);
        _keys = Enumerable.Range(0, Records).Select(i => System.Text.Encoding.UTF8.GetBytes($"event-{i:x16}")).ToArray();
        _timestamp = 1_700_000_000_000;
    }

    [GlobalCleanup]
    public void Cleanup() => _driver.Dispose();

    [Benchmark(OperationsPerInvoke = Records)]
    public void Window_store_lookup_and_put_per_record()
    {
        foreach (var key in _keys)
        {
            _driver.PipeInput("in", key, [], _timestamp++);
        }

        _driver.ReadOutput("test-driver-seen-changelog");
    }

    private sealed class FirstSeen : IProcessor<string, byte[], string, byte[]>
    {
        private IWindowStore<string, long> _seen = null!;

        public void Init(IProcessorContext<string, byte[]> context) => _seen = context.GetStateStore<IWindowStore<string, long>>("seen");

        public void Process(Record<string, byte[]> record)
        {
            if (!_seen.Fetch(record.Key, record.Timestamp - 3_600_000, record.Timestamp).Any())
            {
                _seen.Put(record.Key, record.Timestamp, record.Timestamp);
            }
        }
    }
}
