using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streams.Runtime;

namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// One record of a <c>dlq.&lt;stage&gt;</c> topic: where it sits, the original key, value and timestamp byte for byte,
/// and what its <c>__streams.errors.*</c> headers say (stage, reason, origin topic/partition/offset).
/// </summary>
public sealed record DeadLetterRecord(
    string Topic,
    int Partition,
    long Offset,
    long Timestamp,
    byte[]? Key,
    byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers)
{
    /// <summary>The headers a replayed record carries: it was replayed, from which dead letter, and why it had failed.</summary>
    public const string ReplayPrefix = "__streams.replay.";

    public string Location => string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}@{Offset}");

    public string? Stage => Error("stage");

    public string? Reason => Error("reason");

    public string? OriginTopic => Error("topic");

    public int? OriginPartition => int.TryParse(Error("partition"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;

    public long? OriginOffset => long.TryParse(Error("offset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : null;

    /// <summary>The source the origin topic belongs to (raw.elb → elb), when it follows the naming convention.</summary>
    public string? Source
    {
        get
        {
            var dot = OriginTopic?.IndexOf('.', StringComparison.Ordinal) ?? -1;
            return dot > 0 ? OriginTopic![(dot + 1)..] : null;
        }
    }

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Timestamp);

    /// <summary>Why this record cannot be replayed (no error headers), or null.</summary>
    public string? ReplayProblem => OriginTopic is null
        ? $"{Location} has no {Runtime.DeadLetters.HeaderPrefix}topic header, so where it came from is unknown"
        : null;

    public static DeadLetterRecord From(ConsumeResult<byte[], byte[]> result) => new(
        result.Topic,
        result.Partition.Value,
        result.Offset.Value,
        result.Message.Timestamp.UnixTimestampMs,
        result.Message.Key,
        result.Message.Value,
        result.Message.Headers?.Select(h => new KeyValuePair<string, byte[]?>(h.Key, h.GetValueBytes())).ToList() ?? []);

    public string? Header(string key)
    {
        for (var i = Headers.Count - 1; i >= 0; i--)
        {
            if (Headers[i].Key == key)
            {
                return Headers[i].Value is { } v ? Encoding.UTF8.GetString(v) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The headers of the replayed record: the original record's own (the error headers dropped), then where it was
    /// replayed from. Should it fail again, its new dead letter shows both.
    /// </summary>
    public Headers ReplayHeaders()
    {
        var headers = new Headers();
        foreach (var (key, value) in Headers)
        {
            if (!key.StartsWith(Runtime.DeadLetters.HeaderPrefix, StringComparison.Ordinal) && !key.StartsWith(ReplayPrefix, StringComparison.Ordinal))
            {
                headers.Add(key, value);
            }
        }

        void Add(string key, string? value) => headers.Add(ReplayPrefix + key, value is null ? null : Encoding.UTF8.GetBytes(value));
        Add("dlq.topic", Topic);
        Add("dlq.partition", Partition.ToString(CultureInfo.InvariantCulture));
        Add("dlq.offset", Offset.ToString(CultureInfo.InvariantCulture));
        Add("reason", Reason);
        return headers;
    }

    private string? Error(string name) => Header(Runtime.DeadLetters.HeaderPrefix + name);
}
