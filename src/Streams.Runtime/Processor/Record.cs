namespace Streams.Runtime.Processor;

/// <summary>A record flowing through a topology: key, value and its timestamp (milliseconds since the epoch).</summary>
public readonly record struct Record<TKey, TValue>(TKey Key, TValue Value, long Timestamp)
{
    public Record<TKey, TNewValue> WithValue<TNewValue>(TNewValue value) => new(Key, value, Timestamp);

    public Record<TNewKey, TValue> WithKey<TNewKey>(TNewKey key) => new(key, Value, Timestamp);

    public Record<TKey, TValue> WithTimestamp(long timestamp) => this with { Timestamp = timestamp };
}
