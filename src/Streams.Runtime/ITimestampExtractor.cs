namespace Streams.Runtime;

/// <summary>Chooses a record's timestamp (event time) from the consumed record; by default the Kafka timestamp.</summary>
public interface ITimestampExtractor<TKey, TValue>
{
    long Extract(TKey key, TValue value, long kafkaTimestamp);
}
