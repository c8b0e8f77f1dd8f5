using Confluent.Kafka;
using Streams.Connectors.Tests.Elasticsearch;
using Streams.Runtime.Embedded;

namespace Streams.EndToEnd;

/// <summary>The faults one step of a run can inject.</summary>
internal enum Fault
{
    KillConnector,
    CrashTopologyThread,
    KillTopology,
    KillSink,
    StartSecondTopology,
    BrokerDownAndUp,
    ProduceErrors,
    TransactionErrors,
    FetchAndCommitErrors,
}

/// <summary>
/// Which faults hit a run, step by step, drawn from the seed: two to three per step, each step also appending a chunk
/// of input. The Elasticsearch double draws its own faults (429 items, 503, dropped connections, lost answers, slow
/// answers) from the same seed for the whole run.
/// </summary>
internal sealed class FaultSchedule
{
    private FaultSchedule(IReadOnlyList<IReadOnlyList<Fault>> steps) => Steps = steps;

    public IReadOnlyList<IReadOnlyList<Fault>> Steps { get; }

    public static FaultSchedule Draw(int seed, int steps)
    {
        var random = new Random(seed ^ 0x5eed);
        var all = Enum.GetValues<Fault>();
        var drawn = new List<IReadOnlyList<Fault>>();
        for (var i = 0; i < steps; i++)
        {
            drawn.Add([.. all.OrderBy(_ => random.Next()).Take(random.Next(2, 4))]);
        }

        return new FaultSchedule(drawn);
    }

    public static ChaosSettings Elasticsearch(int seed) =>
        new(seed, ItemRejectRate: 0.05, UnavailableRate: 0.05, DropRate: 0.05, LoseResponseRate: 0.05, SlowRate: 0.05)
        {
            SlowDelay = TimeSpan.FromMilliseconds(150),
        };

    /// <summary>Applies one fault; a second topology instance started here is stopped by the caller at the next step.</summary>
    public static async Task ApplyAsync(Fault fault, PipelineUnderTest pipeline, Random random)
    {
        switch (fault)
        {
            case Fault.KillConnector:
                await pipeline.KillAndRestartConnectorAsync(PipelineUnderTest.Sources[random.Next(PipelineUnderTest.Sources.Count)]);
                break;
            case Fault.CrashTopologyThread:
                pipeline.CrashTopologyThread();
                break;
            case Fault.KillTopology:
                await pipeline.KillAndRestartTopologyAsync();
                break;
            case Fault.KillSink:
                await pipeline.KillAndRestartSinkAsync();
                break;
            case Fault.StartSecondTopology:
                pipeline.StartSecondTopology();
                break;
            case Fault.BrokerDownAndUp:
                var broker = random.Next(1, pipeline.Cluster.BrokerCount + 1);
                pipeline.Cluster.SetBrokerDown(broker);
                await Task.Delay(random.Next(200, 1000));
                pipeline.Cluster.SetBrokerUp(broker);
                break;
            case Fault.ProduceErrors:
                pipeline.Cluster.PushRequestErrors(KafkaApi.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
                break;
            case Fault.TransactionErrors:
                pipeline.Cluster.PushRequestErrors(KafkaApi.AddPartitionsToTxn, ErrorCode.NotCoordinatorForGroup, ErrorCode.ConcurrentTransactions);
                pipeline.Cluster.PushRequestErrors(KafkaApi.EndTxn, ErrorCode.NotCoordinatorForGroup);
                break;
            case Fault.FetchAndCommitErrors:
                pipeline.Cluster.PushRequestErrors(KafkaApi.Fetch, ErrorCode.NotLeaderForPartition);
                pipeline.Cluster.PushRequestErrors(KafkaApi.TxnOffsetCommit, ErrorCode.RequestTimedOut);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }
}
