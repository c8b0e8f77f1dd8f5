using System.Text.Json;
using Avro;

namespace Streams.Contracts;

/// <summary>One leaf of a curated record: its dotted ECS path and the Avro schema of its value.</summary>
/// <param name="Path">ECS path, e.g. source.geo.city_name or @timestamp.</param>
/// <param name="Fields">The Avro fields from the root record down to the leaf, to read the value.</param>
/// <param name="Schema">The leaf's schema with a ["null", T] union already unwrapped to T.</param>
/// <param name="IsNullable">Whether some field on the way is a ["null", T] union.</param>
public sealed record EcsLeaf(string Path, IReadOnlyList<Field> Fields, Schema Schema, bool IsNullable);

/// <summary>
/// The one rule from Avro names to ECS field paths (see schemas/README.md): each field contributes one path
/// segment, its Avro name, or the value of its "ecs" attribute when it has one; fields of nested records
/// are joined with '.'; a ["null", record] union is looked through; everything else is a leaf.
/// </summary>
public static class EcsNames
{
    /// <summary>The custom field attribute that names a field's ECS segment when its Avro name cannot (Avro names hold no '@').</summary>
    public const string Attribute = "ecs";

    /// <summary>The ECS name of one field: its "ecs" attribute if present, else its Avro name.</summary>
    public static string SegmentOf(Field field)
    {
        var attribute = field.GetProperty(Attribute);
        if (attribute is null)
        {
            return field.Name;
        }

        // Avro hands custom attributes back as JSON text.
        var segment = JsonSerializer.Deserialize<string>(attribute);
        if (string.IsNullOrEmpty(segment) || segment.Contains('.', StringComparison.Ordinal))
        {
            throw new AvroException($"field {field.Name}: the \"{Attribute}\" attribute must be a non-empty name without '.', not {attribute}");
        }

        return segment;
    }

    /// <summary>All leaves of a record, depth first in field order.</summary>
    public static IReadOnlyList<EcsLeaf> Leaves(RecordSchema record)
    {
        var leaves = new List<EcsLeaf>();
        Collect(record, prefix: "", fields: [], nullable: false, leaves);
        return leaves;
    }

    /// <summary>The ECS path of every leaf, in field order.</summary>
    public static IReadOnlyList<string> Paths(RecordSchema record) => Leaves(record).Select(leaf => leaf.Path).ToList();

    private static void Collect(RecordSchema record, string prefix, List<Field> fields, bool nullable, List<EcsLeaf> leaves)
    {
        foreach (var field in record.Fields)
        {
            var path = prefix + SegmentOf(field);
            var (schema, optional) = UnwrapNullable(field.Schema);
            List<Field> pathFields = [.. fields, field];
            if (schema is RecordSchema nested)
            {
                Collect(nested, path + ".", pathFields, nullable || optional, leaves);
            }
            else
            {
                leaves.Add(new EcsLeaf(path, pathFields, schema, nullable || optional));
            }
        }
    }

    private static (Schema Schema, bool IsNullable) UnwrapNullable(Schema schema)
    {
        if (schema is UnionSchema union && union.Count == 2)
        {
            var nullIndex = union.Schemas.ToList().FindIndex(branch => branch.Tag == Schema.Type.Null);
            if (nullIndex >= 0)
            {
                return (union.Schemas[1 - nullIndex], true);
            }
        }

        return (schema, false);
    }
}
