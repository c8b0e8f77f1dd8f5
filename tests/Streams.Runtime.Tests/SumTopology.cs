using Streams.Runtime.Processor;
using Streams.Runtime.Serdes;
using Streams.Runtime.State;

namespace Streams.Runtime.Tests;

/// <summary>The topology of the exactly-once suite: a running sum per key in a logged store, written to an output topic.</summary>
internal static class SumTopology
{
    public const string Store = "sums";

    public static Topology Build(string input, string output, bool persistent = true)
    {
        var store = Stores.KeyValue(Store, Serdes.Serdes.String, Serdes.Serdes.Long);
        if (!persistent)
        {
            store.InMemory();
        }

        return new TopologyBuilder()
            .AddSource("input", Serdes.Serdes.String, Serdes.Serdes.Long, input)
            .AddProcessor("sum", () => new SumProcessor(), "input")
            .AddStateStore(store, "sum")
            .AddSink("output", output, Serdes.Serdes.String, Serdes.Serdes.Long, "sum")
            .Build();
    }

    /// <summary>The sums a run without failures ends with.</summary>
    public static Dictionary<string, long> Expected(IEnumerable<(string Key, long Value)> input) =>
        input.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));

    private sealed class SumProcessor : IProcessor<string, long, string, long>
    {
        private IProcessorContext<string, long> _context = null!;
        private IKeyValueStore<string, long> _sums = null!;

        public void Init(IProcessorContext<string, long> context)
        {
            _context = context;
            _sums = context.GetStateStore<IKeyValueStore<string, long>>(Store);
        }

        public void Process(Record<string, long> record)
        {
            var sum = _sums.Get(record.Key) + record.Value;
            _sums.Put(record.Key, sum);
            _context.Forward(record.WithValue(sum));
        }
    }
}
