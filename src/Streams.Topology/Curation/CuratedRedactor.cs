using System.Buffers;
using System.Collections;
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

    public void Redact(ISpecificRecord record) => Walk(record, inUrl: false);

    private void Walk(ISpecificRecord record, bool inUrl)
    {
        var schema = (RecordSchema)record.Schema;
        foreach (var field in schema.Fields)
        {
            var value = record.Get(field.Pos);
            switch (value)
            {
                case null:
                    break;
                case string text:
                    var masked = Mask(text, inUrl);
                    if (!ReferenceEquals(masked, text) && masked != text)
                    {
                        record.Put(field.Pos, masked);
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
                case IDictionary<string, string> map:
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
