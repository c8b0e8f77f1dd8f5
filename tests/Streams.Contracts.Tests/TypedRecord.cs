using Avro;
using Avro.Specific;

namespace Streams.Contracts.Tests;

/// <summary>
/// A hand-written specific record with a typed property per field, as generated classes have, over every kind the
/// encoder writes through a property directly (strings, numbers, booleans and their unions with null, on either side),
/// and one property, <see cref="Odd"/>, that does not return what <see cref="Get"/> does.
/// </summary>
public sealed class TypedRecord : ISpecificRecord
{
#pragma warning disable SA1401, SA1307, IDE1006, CA2211
    public static Schema _SCHEMA = Schema.Parse("""
        {
          "type": "record", "name": "Typed", "namespace": "Streams.Contracts.Tests",
          "fields": [
            { "name": "s", "type": "string" },
            { "name": "ns", "type": ["null", "string"] },
            { "name": "sn", "type": ["string", "null"] },
            { "name": "l", "type": "long" },
            { "name": "i", "type": "int" },
            { "name": "d", "type": "double" },
            { "name": "f", "type": "float" },
            { "name": "b", "type": "boolean" },
            { "name": "nl", "type": ["null", "long"] },
            { "name": "ni", "type": ["int", "null"] },
            { "name": "nd", "type": ["null", "double"] },
            { "name": "nf", "type": ["null", "float"] },
            { "name": "nb", "type": ["null", "boolean"] },
            { "name": "Odd", "type": "string" },
            { "name": "list", "type": { "type": "array", "items": "string" } }
          ]
        }
        """);
#pragma warning restore SA1401, SA1307, IDE1006, CA2211

    public Schema Schema => _SCHEMA;

    public string s { get; set; } = "";

    public string? ns { get; set; }

    public string? sn { get; set; }

    public long l { get; set; }

    public int i { get; set; }

    public double d { get; set; }

    public float f { get; set; }

    public bool b { get; set; }

    public long? nl { get; set; }

    public int? ni { get; set; }

    public double? nd { get; set; }

    public float? nf { get; set; }

    public bool? nb { get; set; }

    /// <summary>What the Avro writer writes is <see cref="Get"/>'s value, <see cref="OddValue"/>; this returns another.</summary>
    public string Odd => "not " + OddValue;

    public string OddValue { get; set; } = "";

    public IList<string> list { get; set; } = [];

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => s,
        1 => ns!,
        2 => sn!,
        3 => l,
        4 => i,
        5 => d,
        6 => f,
        7 => b,
        8 => nl!,
        9 => ni!,
        10 => nd!,
        11 => nf!,
        12 => nb!,
        13 => OddValue,
        14 => list,
        _ => throw new AvroRuntimeException("Bad index " + fieldPos),
    };

    public void Put(int fieldPos, object fieldValue) => throw new NotSupportedException();
}
