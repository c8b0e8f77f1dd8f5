using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streams.Runtime;

/// <summary>
/// The headers every dead letter carries, in Kafka Connect's style: the record's own headers, then
/// <c>__streams.errors.stage</c>, <c>.reason</c>, <c>.exception.class</c>, <c>.exception.message</c>, <c>.topic</c>,
/// <c>.partition</c>, <c>.offset</c>, and any extra detail a stage adds (the sink adds <c>es.type</c>, <c>es.reason</c>).
/// </summary>
public static class DeadLetters
{
    public const string HeaderPrefix = "__streams.errors.";

    /// <summary>How much of a record too large to dead-letter whole is kept (with <c>truncated</c> and <c>original.bytes</c> headers).</summary>
    public const int TruncatedBytesKept = 64 * 1024;

    public static Headers Headers(
        ConsumeResult<byte[], byte[]> record,
        string stage,
        string reason,
        Exception? exception,
        IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var headers = new Headers();
        if (record.Message.Headers is not null)
        {
            foreach (var h in record.Message.Headers)
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        AddErrors(headers, stage, reason, exception, record.Topic, record.Partition.Value, record.Offset.Value, extra);
        return headers;
    }

    /// <summary>
    /// Headers for a dead letter that was never a Kafka record (a source object a connector cannot read): the same
    /// headers, with <c>topic</c> the topic the input was bound for and no partition or offset.
    /// </summary>
    public static Headers Headers(
        string stage,
        string reason,
        Exception? exception,
        string? topic,
        IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var headers = new Headers();
        AddErrors(headers, stage, reason, exception, topic, partition: null, offset: null, extra);
        return headers;
    }

    private static void AddErrors(
        Headers headers,
        string stage,
        string reason,
        Exception? exception,
        string? topic,
        int? partition,
        long? offset,
        IEnumerable<KeyValuePair<string, string?>>? extra)
    {
        void Add(string key, string? value) => headers.Add(HeaderPrefix + key, value is null ? null : Encoding.UTF8.GetBytes(value));
        Add("stage", stage);
        Add("reason", reason);
        Add("exception.class", exception?.GetType().FullName);
        Add("exception.message", exception?.Message);
        Add("topic", topic);
        if (partition is { } p)
        {
            Add("partition", p.ToString(CultureInfo.InvariantCulture));
        }

        if (offset is { } o)
        {
            Add("offset", o.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in extra ?? [])
        {
            Add(key, value);
        }
    }
}
