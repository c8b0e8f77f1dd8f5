using Confluent.Kafka;

namespace Streams.Runtime.Internals;

/// <summary>The one place client configs are built from StreamsConfig, so every client gets the same security settings.</summary>
internal static class ClientConfigs
{
    public static ConsumerConfig MainConsumer(StreamsConfig config)
    {
        var c = new ConsumerConfig(Settings(config, "consumer."))
        {
            BootstrapServers = config.BootstrapServers,
            GroupId = config.ApplicationId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = config.ExactlyOnce ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
            MaxPollIntervalMs = (int)config.MaxPollInterval.TotalMilliseconds,
            SessionTimeoutMs = (int)config.SessionTimeout.TotalMilliseconds,
        };
        c.Set("partition.assignment.strategy", config.AssignmentStrategy);

        // librdkafka sends the commit, heartbeat and offset requests of this consumer on the connection its fetch
        // long-polls on, so each waited up to fetch.wait.max.ms (500 ms by default) while the topics were quiet:
        // seconds of end-to-end latency under EOS. A short wait answers them at once; "consumer.fetch.wait.max.ms"
        // still overrides it.
        if (!c.FetchWaitMaxMs.HasValue)
        {
            c.FetchWaitMaxMs = 10;
        }

        // The group's state for the thread's description (GroupState); "consumer.statistics.interval.ms" overrides it.
        if (!c.StatisticsIntervalMs.HasValue)
        {
            c.StatisticsIntervalMs = 5000;
        }

        return c;
    }

    public static ConsumerConfig RestoreConsumer(StreamsConfig config) => new(Settings(config, "consumer."))
    {
        BootstrapServers = config.BootstrapServers,
        GroupId = config.ApplicationId + "-restore",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = true,
        IsolationLevel = config.ExactlyOnce ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
    };

    public static AdminClientConfig Admin(StreamsConfig config) => new(Settings(config, "admin."))
    {
        BootstrapServers = config.BootstrapServers,
    };

    public static ProducerConfig Producer(StreamsConfig config, string? transactionalId)
    {
        var p = new ProducerConfig(Settings(config, "producer."))
        {
            BootstrapServers = config.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            // Murmur2 like the Java client, so keys land in the partitions Kafka Streams would pick.
            Partitioner = Partitioner.Murmur2Random,
        };
        if (!p.LingerMs.HasValue)
        {
            // A transactional (exactly-once) producer that holds its output gets it in one burst at the commit, which
            // then waits for it: lingering would only delay the commit. Output sent as it goes (at least once, or
            // exactly-once without holding) is batched by a short linger.
            p.LingerMs = transactionalId is not null && config.HoldOutput ? 0 : 5;
        }

        // The delivery handler reads only the error: without this the client copies every record's key, value and
        // headers back out of librdkafka into new arrays on each delivery report (garbage on the order of the output).
        if (p.DeliveryReportFields is null)
        {
            p.DeliveryReportFields = "status";
        }

        if (transactionalId is not null)
        {
            // Exactly-once output is produced without a handler (the transaction's commit reports what failed), so no
            // record needs a report: none is made, taken from the queue or marshalled.
            p.EnableDeliveryReports ??= false;
            p.TransactionalId = transactionalId;
            p.TransactionTimeoutMs = (int)config.TransactionTimeout.TotalMilliseconds;
        }

        return p;
    }

    private static Dictionary<string, string> Settings(StreamsConfig config, string ownPrefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config.ClientSettings)
        {
            if (key.StartsWith("consumer.", StringComparison.Ordinal) || key.StartsWith("producer.", StringComparison.Ordinal) || key.StartsWith("admin.", StringComparison.Ordinal))
            {
                if (key.StartsWith(ownPrefix, StringComparison.Ordinal))
                {
                    result[key[ownPrefix.Length..]] = value;
                }
            }
            else
            {
                result[key] = value;
            }
        }

        return result;
    }
}
