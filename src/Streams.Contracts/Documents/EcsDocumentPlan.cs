using System.Collections.Concurrent;
using System.Text.Json;
using Avro;

namespace Streams.Contracts.Documents;

/// <summary>
/// What the renderer needs to know about a record schema, worked out once per schema (names encoded, unions
/// unwrapped, kinds decided) so rendering a record costs only <c>ISpecificRecord.Get(pos)</c> per field.
/// </summary>
internal sealed class EcsRecordPlan
{
    private static readonly ConcurrentDictionary<RecordSchema, EcsRecordPlan> Plans = new(ReferenceEqualityComparer.Instance);

    private EcsRecordPlan(RecordSchema schema)
    {
        Fields = schema.Fields
            .Select(field => new EcsFieldPlan(field.Pos, JsonEncodedText.Encode(EcsNames.SegmentOf(field), EcsDocumentWriter.Encoder), EcsValuePlan.For(field.Schema)))
            .ToArray();
    }

    public IReadOnlyList<EcsFieldPlan> Fields { get; }

    public static EcsRecordPlan For(RecordSchema schema) => Plans.GetOrAdd(schema, static s => new EcsRecordPlan(s));
}

/// <summary>One field of a record plan: its position, its ECS segment and how its value is written.</summary>
internal sealed record EcsFieldPlan(int Position, JsonEncodedText Name, EcsValuePlan Value);

/// <summary>How one value (field, array item or map value) is written.</summary>
internal sealed class EcsValuePlan
{
    private readonly RecordSchema? record;

    private EcsValuePlan(EcsValueKind kind, RecordSchema? record = null, EcsValuePlan? items = null)
    {
        Kind = kind;
        this.record = record;
        Items = items;
    }

    public EcsValueKind Kind { get; }

    /// <summary>The plan of a nested record, resolved lazily: recursive schemas must not recurse forever.</summary>
    public EcsRecordPlan Record => EcsRecordPlan.For(record ?? throw new InvalidOperationException($"{Kind} is not a record"));

    /// <summary>Array items or map values.</summary>
    public EcsValuePlan? Items { get; }

    public static EcsValuePlan For(Schema schema)
    {
        var unwrapped = EcsSchemas.UnwrapNullable(schema);
        return unwrapped switch
        {
            RecordSchema nested => new EcsValuePlan(EcsValueKind.Record, nested),
            ArraySchema array => new EcsValuePlan(EcsValueKind.Array, items: For(array.ItemSchema)),
            MapSchema map => new EcsValuePlan(EcsValueKind.Map, items: For(map.ValueSchema)),
            LogicalSchema logical when EcsSchemas.IsTimestamp(logical) => new EcsValuePlan(EcsValueKind.Timestamp),
            LogicalSchema logical => For(logical.BaseSchema),
            EnumSchema => new EcsValuePlan(EcsValueKind.Enum),
            _ => new EcsValuePlan(unwrapped.Tag switch
            {
                Schema.Type.String => EcsValueKind.String,
                Schema.Type.Long => EcsValueKind.Long,
                Schema.Type.Int => EcsValueKind.Int,
                Schema.Type.Double => EcsValueKind.Double,
                Schema.Type.Float => EcsValueKind.Float,
                Schema.Type.Boolean => EcsValueKind.Boolean,
                Schema.Type.Bytes or Schema.Type.Fixed => EcsValueKind.Bytes,
                _ => EcsValueKind.Dynamic,
            }),
        };
    }
}
