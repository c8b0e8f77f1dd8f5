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

        void Add(string key, string? value) => headers.Add(HeaderPrefix + key, value is null ? null : Encoding.UTF8.GetBytes(value));
        Add("stage", stage);
        Add("reason", reason);
        Add("exception.class", exception?.GetType().FullName);
        Add("exception.message", exception?.Message);
        Add("topic", record.Topic);
        Add("partition", record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add("offset", record.Offset.Value.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in extra ?? [])
        {
            Add(key, value);
        }

        return headers;
    }
}
