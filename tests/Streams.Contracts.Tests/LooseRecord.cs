using Avro;
using Avro.Specific;

namespace Streams.Contracts.Tests;

/// <summary>
/// A hand-written specific record over a schema with every Avro kind (and unions of several), whose fields hold whatever
/// object is put in them, so values of the wrong type can reach a writer as they cannot through a generated class.
/// </summary>
public sealed class LooseRecord : ISpecificRecord
{
    // The name Confluent's serializer reads the schema of a specific type from.
#pragma warning disable SA1401, SA1307, IDE1006, CA2211
    public static Schema _SCHEMA = Schema.Parse("""
        {
          "type": "record", "name": "Loose", "namespace": "Streams.Contracts.Tests",
          "fields": [
            { "name": "b", "type": "boolean" },
            { "name": "i", "type": "int" },
            { "name": "l", "type": "long" },
            { "name": "f", "type": "float" },
            { "name": "d", "type": "double" },
            { "name": "s", "type": "string" },
            { "name": "by", "type": "bytes" },
            { "name": "fx", "type": { "type": "fixed", "name": "LooseHash", "size": 4 } },
            { "name": "e", "type": { "type": "enum", "name": "LooseColor", "symbols": ["RED", "GREEN", "BLUE"] } },
            { "name": "inner", "type": { "type": "record", "name": "LooseInner", "fields": [
                { "name": "x", "type": ["null", "string"], "default": null },
                { "name": "n", "type": "long" }
            ] } },
            { "name": "optional_inner", "type": ["null", "LooseInner"], "default": null },
            { "name": "many", "type": ["null", "long", "string", "LooseInner", { "type": "array", "items": "string" }, { "type": "map", "values": "long" }, "double", "boolean", "int", "float", "bytes", "LooseHash", "LooseColor"] },
            { "name": "null_last", "type": ["string", "null"] },
            { "name": "millis", "type": ["null", { "type": "long", "logicalType": "timestamp-millis" }] },
            { "name": "micros", "type": { "type": "long", "logicalType": "timestamp-micros" } },
            { "name": "strings", "type": { "type": "array", "items": ["null", "string"] } },
            { "name": "records", "type": { "type": "array", "items": "LooseInner" } },
            { "name": "record_map", "type": { "type": "map", "values": ["null", "LooseInner"] } },
            { "name": "string_map", "type": ["null", { "type": "map", "values": "string" }] },
            { "name": "nested", "type": { "type": "array", "items": { "type": "array", "items": "int" } } },
            { "name": "optional_hash", "type": ["null", "LooseHash"] },
            { "name": "optional_color", "type": ["null", "LooseColor"] },
            { "name": "no_null", "type": ["long", "string"] },
            { "name": "optional_long", "type": ["null", "long"] },
            { "name": "optional_int", "type": ["int", "null"] },
            { "name": "optional_double", "type": ["null", "double"] }
          ]
        }
        """);
#pragma warning restore SA1401, SA1307, IDE1006, CA2211

    private readonly object?[] _values;

    public LooseRecord()
        : this(_SCHEMA)
    {
    }

    public LooseRecord(Schema schema)
    {
        Schema = schema;
        _values = new object?[((RecordSchema)schema).Fields.Count];
    }

    public static RecordSchema InnerSchema => (RecordSchema)((RecordSchema)_SCHEMA)["inner"].Schema;

    public static FixedSchema HashSchema => (FixedSchema)((RecordSchema)_SCHEMA)["fx"].Schema;

    public Schema Schema { get; }

    public object? this[string field]
    {
        get => _values[((RecordSchema)Schema)[field].Pos];
        set => _values[((RecordSchema)Schema)[field].Pos] = value;
    }

    public object Get(int fieldPos) => _values[fieldPos]!;

    public void Put(int fieldPos, object fieldValue) => _values[fieldPos] = fieldValue;

    public LooseRecord With(string field, object? value)
    {
        this[field] = value;
        return this;
    }

    public static LooseRecord Inner(string? x, long n) => new(InnerSchema) { ["x"] = x, ["n"] = n };
}

/// <summary>The fixed of <see cref="LooseRecord"/>.</summary>
public sealed class LooseHash : SpecificFixed
{
    public LooseHash(params byte[] value)
        : base(4) => Value = value;

    public override Schema Schema => LooseRecord.HashSchema;
}

/// <summary>The enum of <see cref="LooseRecord"/>, in another order than the schema's symbols and with one it lacks.</summary>
public enum LooseColor
{
    BLUE,
    PURPLE,
    RED,
    GREEN,
}
