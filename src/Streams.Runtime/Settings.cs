using System.Globalization;

namespace Streams.Runtime;

/// <summary>
/// Typed reads of a service's KEY=VALUE settings. Every wrong value throws a <see cref="StreamsConfigException"/>
/// naming its key, so that a bad configuration fails at start-up and says where.
/// </summary>
public sealed class Settings(IReadOnlyDictionary<string, string> properties)
{
    public IReadOnlyDictionary<string, string> Properties { get; } = properties;

    public bool Has(string key) => Properties.ContainsKey(key);

    /// <summary>The value, or <paramref name="fallback"/> when the key is absent.</summary>
    public string? Text(string key, string? fallback = null) => Properties.GetValueOrDefault(key) ?? fallback;

    /// <summary>The value; throws naming the key when it is absent or blank.</summary>
    public string Required(string key, string? hint = null) =>
        Properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new StreamsConfigException(key, "is required" + (hint is null ? string.Empty : " (" + hint + ")"));

    /// <summary>A comma-separated list, blanks dropped; <paramref name="fallback"/> when the key is absent.</summary>
    public IReadOnlyList<string> List(string key, IReadOnlyList<string> fallback) =>
        Properties.TryGetValue(key, out var raw)
            ? raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : fallback;

    public long Number(string key, long fallback, long min, long max)
    {
        if (!Properties.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new StreamsConfigException(key, $"'{raw}' must be a whole number between {min} and {max}");
        }

        return n;
    }

    public int Integer(string key, int fallback, int min, int max) => (int)Number(key, fallback, min, max);

    /// <summary>A duration given in whole milliseconds (the *.ms keys).</summary>
    public TimeSpan Millis(string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        if (!Properties.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms < min.TotalMilliseconds || ms > max.TotalMilliseconds)
        {
            throw new StreamsConfigException(key, $"'{raw}' must be a whole number of milliseconds between {(long)min.TotalMilliseconds} and {(long)max.TotalMilliseconds}");
        }

        return TimeSpan.FromMilliseconds(ms);
    }

    public bool Flag(string key, bool fallback)
    {
        if (!Properties.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        return bool.TryParse(raw.Trim(), out var value) ? value : throw new StreamsConfigException(key, $"'{raw}' must be true or false");
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive); <paramref name="fallback"/> when absent.</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> allowed)
    {
        if (!Properties.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        return allowed.TryGetValue(raw.Trim().ToLowerInvariant(), out var value)
            ? value
            : throw new StreamsConfigException(key, $"'{raw}' is not one of: {string.Join(", ", allowed.Keys)}");
    }
}
