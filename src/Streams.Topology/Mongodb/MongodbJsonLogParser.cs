using System.Globalization;
using System.Text.Json;
using Streams.Topology.Parsing;

namespace Streams.Topology.Mongodb;

/// <summary>
/// Reads the structured JSON log of mongod 4.4+: one Relaxed Extended JSON object per line with
/// t, s, c, id, ctx, msg and optional svc, attr, tags, truncated and size.
/// </summary>
internal static class MongodbJsonLogParser
{
    // Logged commands nest deeply (filters inside pipelines inside commands); 64, the default, is too tight.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    public static ParseResult<MongodbLogEntry> Parse(ReadOnlySpan<byte> utf8) =>
        MongodbJsonLineReader.TryRead(utf8, ReaderOptions, out var fields) ? Entry(ref fields) : ParseDocument(utf8);

    /// <summary>The entry from what one pass of the reader found, checked as <see cref="Read(JsonElement)"/> checks it.</summary>
    private static ParseResult<MongodbLogEntry> Entry(ref MongodbLineFields fields)
    {
        if (fields.Problem is not null)
        {
            return Fail(fields.Problem);
        }

        if (!fields.HasTime)
        {
            return Fail("has no t.$date timestamp");
        }

        var missing = fields.Severity is null ? "s" : fields.Component is null ? "c" : fields.Context is null ? "ctx" : fields.Message is null ? "msg" : null;
        if (missing is not null)
        {
            return Fail($"has no string \"{missing}\" field");
        }

        return ParseResult<MongodbLogEntry>.Ok(fields.Known.AddTo(new MongodbLogEntry
        {
            Format = MongodbLogFormat.Json,
            Timestamp = fields.Timestamp,
            Severity = fields.Severity,
            Component = fields.Component,
            Id = fields.Id,
            Context = fields.Context!,
            Message = fields.Message!,
            Service = fields.Service,
            AttributesJson = fields.AttributesJson,
            Tags = fields.Tags ?? [],
            TruncatedJson = fields.TruncatedJson,
            SizeJson = fields.SizeJson,
        }));
    }

    /// <summary>
    /// Reads the line through a <see cref="JsonDocument"/>: the lines a single pass leaves undecided (invalid JSON,
    /// escaped or repeated names, undecodable strings) get their result and reason from here.
    /// </summary>
    private static ParseResult<MongodbLogEntry> ParseDocument(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return Fail("has more than one JSON value");
            }

            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Read(document.RootElement)
                : Fail($"is a JSON {document.RootElement.ValueKind}, not an object");
        }
        catch (JsonException ex)
        {
            return Fail($"is not valid JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}");
        }
        catch (InvalidOperationException)
        {
            // Thrown when a string holds an escaped lone surrogate such as "\ud800".
            return Fail("has a string with an invalid \\u escape");
        }
    }

    private static ParseResult<MongodbLogEntry> Read(JsonElement root)
    {
        DateTimeOffset? timestamp = null;
        string? severity = null, component = null, context = null, message = null, service = null;
        string? attributes = null, truncated = null, size = null;
        long? id = null;
        IReadOnlyList<string> tags = [];
        var known = default(MongodbWellKnownFields);

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "t":
                    if (!TryReadDate(value, out var t, out var problem))
                    {
                        return Fail(problem);
                    }

                    timestamp = t;
                    break;
                case "s": severity = StringOrNull(value); break;
                case "c": component = StringOrNull(value); break;
                case "ctx": context = StringOrNull(value); break;
                case "msg": message = StringOrNull(value); break;
                case "svc": service = StringOrNull(value); break;
                case "id": id = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null; break;
                case "tags": tags = ReadTags(value); break;
                case "truncated": truncated = value.GetRawText(); break;
                case "size": size = value.GetRawText(); break;
                case "attr":
                    attributes = value.GetRawText();
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        MongodbJsonAttributes.Read(value, ref known);
                    }

                    break;
            }
        }

        if (timestamp is null)
        {
            return Fail("has no t.$date timestamp");
        }

        var missing = severity is null ? "s" : component is null ? "c" : context is null ? "ctx" : message is null ? "msg" : null;
        if (missing is not null)
        {
            return Fail($"has no string \"{missing}\" field");
        }

        return ParseResult<MongodbLogEntry>.Ok(known.AddTo(new MongodbLogEntry
        {
            Format = MongodbLogFormat.Json,
            Timestamp = timestamp.Value,
            Severity = severity,
            Component = component,
            Id = id,
            Context = context!,
            Message = message!,
            Service = service,
            AttributesJson = attributes,
            Tags = tags,
            TruncatedJson = truncated,
            SizeJson = size,
        }));
    }

    /// <summary>t is {"$date": "ISO 8601"}, or {"$date": {"$numberLong": "ms"}} outside years 1970..9999.</summary>
    private static bool TryReadDate(JsonElement t, out DateTimeOffset value, out string problem)
    {
        value = default;
        problem = "has no t.$date timestamp";
        if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("$date", out var date))
        {
            return false;
        }

        if (date.ValueKind == JsonValueKind.String)
        {
            problem = "has a t.$date that is not an ISO 8601 time with a zone";
            return MongodbTimestamp.TryParseIso(date.GetString(), out value);
        }

        problem = "has a t.$date that is neither a string nor a $numberLong";
        if (date.ValueKind == JsonValueKind.Object && date.TryGetProperty("$numberLong", out var ms)
            && ms.ValueKind == JsonValueKind.String
            && long.TryParse(ms.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis)
            && millis >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && millis <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            return true;
        }

        return false;
    }

    private static IReadOnlyList<string> ReadTags(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var tags = new List<string>(value.GetArrayLength());
        foreach (var tag in value.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String)
            {
                tags.Add(tag.GetString()!);
            }
        }

        return tags;
    }

    private static string? StringOrNull(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>JsonException messages end in "LineNumber: 0 | BytePositionInLine: 12."; the position is reported separately.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static ParseResult<MongodbLogEntry> Fail(string problem) =>
        ParseResult<MongodbLogEntry>.Fail("MongoDB JSON line " + problem);
}
