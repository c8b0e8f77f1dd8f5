using System.Diagnostics;
using Streams.Runtime.Testing;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Bench.E2E;

/// <summary>
/// The same curation topology and workload with no Kafka at all: records go straight into the tasks through the
/// test driver (RocksDB dedup stores, GeoIP on, Avro in and out). What one core does per record when no client,
/// broker or transaction costs anything: the part of the topology's cost that is processing.
/// </summary>
internal static class OfflineRun
{
    public static PhaseResult Run(RegistryScope registry, GeoIpEnricher geo, Workload workload, long records, out double cpuMicrosecondsPerRecord, out double bytesAllocatedPerRecord)
    {
        using var driver = new TopologyTestDriver(CurationTopology.Build(TopologyRun.Options(registry, geo), new CurationMetrics(), registry.Client));
        var now = DateTime.UtcNow;
        var input = new RawRecord[records];
        for (var i = 0L; i < records; i++)
        {
            input[i] = workload.Next(i, now);
        }

        // The first fifth warms the code up (tiered compilation) and is not measured.
        var warmup = records / 5;
        for (var i = 0L; i < warmup; i++)
        {
            driver.PipeInput(input[i].Topic, input[i].Key, input[i].Value, 0);
        }

        var cpu = ThreadCpu.Current();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = warmup; i < records; i++)
        {
            var r = input[i];
            driver.PipeInput(r.Topic, r.Key, r.Value, 0);
            if (i % 10_000 == 0 && i > 0)
            {
                foreach (var topic in driver.OutputTopics.ToList())
                {
                    driver.ReadOutput(topic);
                }
            }
        }

        var elapsed = watch.Elapsed;
        bytesAllocatedPerRecord = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / (records - warmup);
        cpuMicrosecondsPerRecord = (ThreadCpu.Current() - cpu).TotalMicroseconds / (records - warmup);
        return new PhaseResult("no kafka", records - warmup, elapsed, TimeSpan.Zero);
    }
}
