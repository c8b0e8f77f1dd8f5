using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Streams.Connectors.Elasticsearch;

/// <summary>The <c>__streams.errors.*</c> headers the engine's dead letters carry, plus <c>es.type</c>/<c>es.reason</c>.</summary>
public static class DeadLetterHeaders
{
    public const string Prefix = "__streams.errors.";
    public const string Stage = "sink";

    public static Headers For(ConsumeResult<byte[], byte[]> record, string reason, Exception? exception, string? esType = null, string? esReason = null)
    {
        var headers = new Headers();
        if (record.Message.Headers is not null)
        {
            foreach (var h in record.Message.Headers)
            {
                headers.Add(h.Key, h.GetValueBytes());
            }
        }

        void Add(string key, string? value) => headers.Add(Prefix + key, value is null ? null : Encoding.UTF8.GetBytes(value));
        Add("stage", Stage);
        Add("reason", reason);
        Add("exception.class", exception?.GetType().FullName);
        Add("exception.message", exception?.Message);
        Add("topic", record.Topic);
        Add("partition", record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add("offset", record.Offset.Value.ToString(CultureInfo.InvariantCulture));
        if (esType is not null || esReason is not null)
        {
            Add("es.type", esType);
            Add("es.reason", esReason);
        }

        return headers;
    }
}
