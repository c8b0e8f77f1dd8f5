using Streams.Runtime.Serdes;

namespace Streams.Runtime.State;

/// <summary>Describes a store for the topology; each task builds its own instance from it.</summary>
public abstract class StoreBuilder
{
    protected StoreBuilder(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"store name '{name}' must be ASCII letters, digits, '.', '_' or '-' (it names a topic)", nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    public bool Persistent { get; private set; } = true;

    public bool Logged { get; private set; } = true;

    /// <summary>Topic configs for the changelog, beyond cleanup.policy=compact.</summary>
    public virtual IReadOnlyDictionary<string, string> ChangelogConfig => new Dictionary<string, string> { ["cleanup.policy"] = "compact" };

    internal abstract StateStoreBase Build();

    /// <summary>Keep the store in memory only (restored from the changelog on every start).</summary>
    public StoreBuilder InMemory()
    {
        Persistent = false;
        return this;
    }

    /// <summary>Keep the store in RocksDB under the state directory (the default).</summary>
    public StoreBuilder Persisted()
    {
        Persistent = true;
        return this;
    }

    public StoreBuilder WithLoggingDisabled()
    {
        Logged = false;
        return this;
    }
}

public static class Stores
{
    public static StoreBuilder KeyValue<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde) =>
        new KeyValueStoreBuilder<TKey, TValue>(name, keySerde, valueSerde);

    public static StoreBuilder Window<TKey, TValue>(string name, TimeSpan retention, Serde<TKey> keySerde, Serde<TValue> valueSerde) =>
        new WindowStoreBuilder<TKey, TValue>(name, retention, keySerde, valueSerde);

    private sealed class KeyValueStoreBuilder<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde) : StoreBuilder(name)
    {
        internal override StateStoreBase Build() => new KeyValueStore<TKey, TValue>(Name, Persistent, Logged, keySerde, valueSerde);
    }

    private sealed class WindowStoreBuilder<TKey, TValue>(string name, TimeSpan retention, Serde<TKey> keySerde, Serde<TValue> valueSerde) : StoreBuilder(name)
    {
        public override IReadOnlyDictionary<string, string> ChangelogConfig => new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact,delete",
            // A day on top of the retention, as Kafka Streams does for windowed changelogs.
            ["retention.ms"] = ((long)(retention + TimeSpan.FromDays(1)).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        internal override StateStoreBase Build() => new WindowStore<TKey, TValue>(Name, Persistent, Logged, retention, keySerde, valueSerde);
    }
}
