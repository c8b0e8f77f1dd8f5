using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Streams.Runtime.Internals;

/// <summary>
/// High watermarks of many partitions in one ListOffsets round, through an admin client of its own. Asking a consumer
/// instead costs a request per partition, each queued behind that consumer's long-polling fetch on the same broker
/// connection (up to fetch.wait.max.ms apiece): 24 changelogs took 10 s to close and as long to start restoring.
/// </summary>
internal sealed class EndOffsets(StreamsConfig config) : IDisposable
{
    private IAdminClient? _admin;

    public Dictionary<TopicPartition, long> High(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        if (partitions.Count == 0)
        {
            return [];
        }

        _admin ??= new AdminClientBuilder(ClientConfigs.Admin(config)).SetLogHandler((_, _) => { }).Build();
        var specs = partitions.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Latest() }).ToList();
        var options = new ListOffsetsOptions { RequestTimeout = timeout, IsolationLevel = IsolationLevel.ReadUncommitted };
        try
        {
            var result = _admin.ListOffsetsAsync(specs, options).GetAwaiter().GetResult();
            return result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
        }
        catch (ListOffsetsException ex)
        {
            Reset();
            var failed = ex.Result.ResultInfos.First(r => r.TopicPartitionOffsetError.Error.IsError).TopicPartitionOffsetError;
            throw new KafkaException(failed.Error);
        }
        catch (KafkaException)
        {
            // A failed lookup ("No leaders found" after a broker went down and up) starts over with a new client and
            // fresh metadata: with the old one, a soak saw every later lookup fail the same way for over a minute.
            Reset();
            throw;
        }
    }

    private void Reset()
    {
        _admin?.Dispose();
        _admin = null;
    }

    public void Dispose() => Reset();
}
