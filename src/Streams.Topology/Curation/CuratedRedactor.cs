using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using Avro;
using Avro.Specific;
using Streams.Topology.Redaction;

namespace Streams.Topology.Curation;

/// <summary>
/// Masks secrets in every string of a curated record, wherever the normaliser put them (message, query, url.*,
/// context, stack trace, labels): URL fields as URLs, JSON text as JSON, everything else as SQL and free text.
/// Walking the record rather than listing fields means a field added to a schema is covered without a change here.
/// </summary>
public sealed class CuratedRedactor(SecretRedactor redactor)
{
    // Ids, hostnames, IPv4 addresses, levels, dataset names: one word of these characters has no separator, quote,
    // space or scheme, so no SQL or free-text rule can find a secret in it, and it is returned without being tokenised.
    private static readonly SearchValues<char> PlainTokenChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    // Per record schema, the positions of the fields that can hold a string (directly, in a union, a nested record,
    // an array or a map): numbers, booleans, enums and bytes are never read, so never boxed.
    private readonly ConcurrentDictionary<RecordSchema, int[]> _plans = new(ReferenceEqualityComparer.Instance);

    public void Redact(ISpecificRecord record) => Walk(record, inUrl: false);

    private void Walk(ISpecificRecord record, bool inUrl)
    {
        var schema = (RecordSchema)record.Schema;
        foreach (var position in _plans.GetOrAdd(schema, Plan))
        {
            var value = record.Get(position);
            switch (value)
            {
                case null:
                    break;
                case string text:
                    var masked = Mask(text, inUrl);
                    if (!ReferenceEquals(masked, text) && masked != text)
                    {
                        record.Put(position, masked);
                    }

                    break;
                case ISpecificRecord nested:
                    Walk(nested, inUrl || nested.Schema.Name == "Url");
                    break;
                case IList<string> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        list[i] = Mask(list[i], inUrl);
                    }

                    break;
                case IDictionary<string, string> map when map.Count > 0:
                    foreach (var key in map.Keys.ToList())
                    {
                        map[key] = redactor.IsSensitiveName(key) ? SecretRedactor.Mask : Mask(map[key], inUrl);
                    }

                    break;
                case IList records:
                    foreach (var item in records)
                    {
                        if (item is ISpecificRecord r)
                        {
                            Walk(r, inUrl);
                        }
                    }

                    break;
            }
        }
    }

    private static int[] Plan(RecordSchema schema) =>
        schema.Fields.Where(f => MayHoldText(f.Schema)).Select(f => f.Pos).ToArray();

    private static bool MayHoldText(Schema schema) => schema switch
    {
        UnionSchema union => union.Schemas.Any(MayHoldText),
        PrimitiveSchema primitive => primitive.Tag == Schema.Type.String,
        LogicalSchema logical => MayHoldText(logical.BaseSchema),
        EnumSchema or FixedSchema => false,

        // Records, arrays, maps, and any schema kind not listed: walked, and their values decide.
        _ => true,
    };

    private string Mask(string text, bool inUrl)
    {
        if (text.Length == 0)
        {
            return text;
        }

        if (inUrl)
        {
            return redactor.RedactUrl(text);
        }

        if (!text.AsSpan().ContainsAnyExcept(PlainTokenChars))
        {
            return text;
        }

        var first = text.AsSpan().TrimStart();
        var looksLikeJson = first.Length > 0 && (first[0] == '{' || first[0] == '[');

        // JSON escapes (\u0070assword) can spell a name the raw text does not hold, so escaped JSON is read in full.
        if (!(looksLikeJson && text.Contains('\\')) && !redactor.MayHoldSecret(text))
        {
            return text;
        }

        if (looksLikeJson)
        {
            var json = redactor.RedactJson(text);
            if (!ReferenceEquals(json, text))
            {
                return json;
            }
        }

        return redactor.RedactText(redactor.RedactSql(text));
    }
}
