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

    // Per record schema, the fields that can hold a string (directly, in a union, a nested record, an array or a
    // map) and what each holds: numbers, booleans, enums and bytes are never read, so never boxed, and a field's kind
    // is known without testing its value against each collection interface.
    private readonly ConcurrentDictionary<RecordSchema, TextField[]> _plans = new(ReferenceEqualityComparer.Instance);

    private enum FieldKind
    {
        Text,
        Record,
        TextList,
        TextMap,
        RecordList,

        // A union of several kinds, or a schema kind not listed: its value decides.
        Any,
    }

    public void Redact(ISpecificRecord record) => Walk(record, inUrl: false);

    private void Walk(ISpecificRecord record, bool inUrl)
    {
        foreach (var field in _plans.GetOrAdd((RecordSchema)record.Schema, Plan))
        {
            var value = record.Get(field.Position);
            if (value is null)
            {
                continue;
            }

            switch (field.Kind)
            {
                case FieldKind.Text when value is string text:
                    MaskField(record, field.Position, text, inUrl);
                    break;
                case FieldKind.Record when value is ISpecificRecord nested:
                    Walk(nested, inUrl || field.IsUrl);
                    break;
                case FieldKind.TextList when value is IList<string> list:
                    MaskList(list, inUrl);
                    break;
                case FieldKind.TextMap when value is IDictionary<string, string> map:
                    MaskMap(map, inUrl);
                    break;
                case FieldKind.RecordList when value is IList records:
                    WalkRecords(records, inUrl);
                    break;
                default:
                    WalkValue(record, field.Position, value, inUrl);
                    break;
            }
        }
    }

    private void WalkValue(ISpecificRecord record, int position, object value, bool inUrl)
    {
        switch (value)
        {
            case string text:
                MaskField(record, position, text, inUrl);
                break;
            case ISpecificRecord nested:
                Walk(nested, inUrl || nested.Schema.Name == "Url");
                break;
            case IList<string> list:
                MaskList(list, inUrl);
                break;
            case IDictionary<string, string> map:
                MaskMap(map, inUrl);
                break;
            case IList records:
                WalkRecords(records, inUrl);
                break;
        }
    }

    private void MaskField(ISpecificRecord record, int position, string text, bool inUrl)
    {
        var masked = Mask(text, inUrl);
        if (!ReferenceEquals(masked, text) && masked != text)
        {
            record.Put(position, masked);
        }
    }

    private void MaskList(IList<string> list, bool inUrl)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var masked = Mask(list[i], inUrl);
            if (!ReferenceEquals(masked, list[i]))
            {
                list[i] = masked;
            }
        }
    }

    private void MaskMap(IDictionary<string, string> map, bool inUrl)
    {
        // Values are replaced after the walk: a dictionary cannot change while it is enumerated. A Dictionary (what
        // the normalisers and the decoder make) is walked with its own enumerator, which the interface would box.
        List<KeyValuePair<string, string>>? changes = null;
        if (map is Dictionary<string, string> dictionary)
        {
            foreach (var (key, value) in dictionary)
            {
                MaskEntry(key, value, inUrl, ref changes);
            }
        }
        else
        {
            foreach (var (key, value) in map)
            {
                MaskEntry(key, value, inUrl, ref changes);
            }
        }

        if (changes is not null)
        {
            foreach (var (key, masked) in changes)
            {
                map[key] = masked;
            }
        }
    }

    private void MaskEntry(string key, string value, bool inUrl, ref List<KeyValuePair<string, string>>? changes)
    {
        var masked = redactor.IsSensitiveName(key) ? SecretRedactor.Mask : Mask(value, inUrl);
        if (!ReferenceEquals(masked, value) && masked != value)
        {
            (changes ??= []).Add(new(key, masked));
        }
    }

    private void WalkRecords(IList records, bool inUrl)
    {
        foreach (var item in records)
        {
            if (item is ISpecificRecord r)
            {
                Walk(r, inUrl);
            }
        }
    }

    private static TextField[] Plan(RecordSchema schema) =>
        schema.Fields.Where(f => MayHoldText(f.Schema)).Select(f => Describe(f.Pos, f.Schema)).ToArray();

    private static TextField Describe(int position, Schema schema)
    {
        // ["null", X] holds what X holds.
        if (schema is UnionSchema union)
        {
            var branches = union.Schemas.Where(b => b.Tag != Schema.Type.Null).ToList();
            if (branches.Count != 1)
            {
                return new TextField(position, FieldKind.Any, false);
            }

            schema = branches[0];
        }

        return schema switch
        {
            PrimitiveSchema { Tag: Schema.Type.String } => new TextField(position, FieldKind.Text, false),
            RecordSchema record => new TextField(position, FieldKind.Record, record.Name == "Url"),
            ArraySchema { ItemSchema: PrimitiveSchema { Tag: Schema.Type.String } } => new TextField(position, FieldKind.TextList, false),
            ArraySchema { ItemSchema: RecordSchema } => new TextField(position, FieldKind.RecordList, false),
            MapSchema { ValueSchema: PrimitiveSchema { Tag: Schema.Type.String } } => new TextField(position, FieldKind.TextMap, false),
            _ => new TextField(position, FieldKind.Any, false),
        };
    }

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

    private sealed record TextField(int Position, FieldKind Kind, bool IsUrl);
}
