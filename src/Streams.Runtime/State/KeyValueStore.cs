using Streams.Runtime.Serdes;

namespace Streams.Runtime.State;

internal sealed class KeyValueStore<TKey, TValue> : StateStoreBase, IKeyValueStore<TKey, TValue>
{
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;

    public KeyValueStore(string name, bool persistent, bool logged, Serde<TKey> keySerde, Serde<TValue> valueSerde)
        : base(name, persistent, logged)
    {
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public long ApproximateNumEntries => Inner.ApproximateCount;

    public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

    public bool TryGet(TKey key, out TValue value)
    {
        var bytes = Inner.Get(KeyBytes(key));
        if (bytes is null)
        {
            value = default!;
            return false;
        }

        value = _valueSerde.Deserialize(bytes, Name);
        return true;
    }

    public void Put(TKey key, TValue value) => WriteAndLog(KeyBytes(key), _valueSerde.Serialize(value, Name));

    public void Delete(TKey key) => WriteAndLog(KeyBytes(key), null);

    public IEnumerable<KeyValuePair<TKey, TValue>> All() =>
        Inner.Range(null, null).Select(e => new KeyValuePair<TKey, TValue>(
            _keySerde.Deserialize(e.Key, Name, Confluent.Kafka.MessageComponentType.Key),
            _valueSerde.Deserialize(e.Value, Name)));

    private byte[] KeyBytes(TKey key) =>
        _keySerde.Serialize(key, Name, Confluent.Kafka.MessageComponentType.Key)
        ?? throw new ArgumentException($"store '{Name}': a key must not serialize to null");
}
