using System.Text.Json;

namespace Streams.Connectors.Elasticsearch;

/// <summary>One entry of a <c>_bulk</c> response's <c>items</c>, in request order.</summary>
public readonly record struct BulkItemResult(int Status, string? ErrorType, string? ErrorReason);

/// <summary>Reads <c>{"errors":…,"items":[{"create":{"status":…,"error":{"type":…,"reason":…}}}]}</c>.</summary>
public static class BulkResponse
{
    /// <exception cref="FormatException">The body is not a bulk response for <paramref name="expectedItems"/> items.</exception>
    public static List<BulkItemResult> Parse(ReadOnlySpan<byte> body, int expectedItems)
    {
        var items = new List<BulkItemResult>(expectedItems);
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("items", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("bulk response has no items array");
            }

            foreach (var item in array.EnumerateArray())
            {
                // Each item is an object with one property named after the action (create, index, …).
                var action = item.EnumerateObject().First().Value;
                var status = action.GetProperty("status").GetInt32();
                string? type = null;
                string? reason = null;
                if (action.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
                    reason = error.TryGetProperty("reason", out var r) ? r.GetString() : null;
                }

                items.Add(new BulkItemResult(status, type, reason));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("bulk response is not the JSON Elasticsearch documents: " + ex.Message, ex);
        }

        if (items.Count != expectedItems)
        {
            throw new FormatException($"bulk response has {items.Count} items for {expectedItems} requests");
        }

        return items;
    }

    /// <summary>The <c>error.type</c> and <c>error.reason</c> of a whole-request failure body, if it has them.</summary>
    public static (string? Type, string? Reason) RequestError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (error.TryGetProperty("type", out var t) ? t.GetString() : null, error.TryGetProperty("reason", out var r) ? r.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Proxies answer in HTML; the status code says enough then.
        }

        return (null, null);
    }
}
