using Avro;

namespace Streams.Contracts.Documents;

/// <summary>Schema questions the renderer and the mapping generator answer the same way.</summary>
internal static class EcsSchemas
{
    /// <summary>["null", T] → T; anything else unchanged.</summary>
    public static Schema UnwrapNullable(Schema schema)
    {
        if (schema is UnionSchema { Count: 2 } union)
        {
            if (union.Schemas[0].Tag == Schema.Type.Null)
            {
                return union.Schemas[1];
            }

            if (union.Schemas[1].Tag == Schema.Type.Null)
            {
                return union.Schemas[0];
            }
        }

        return schema;
    }

    public static bool IsTimestamp(LogicalSchema logical) =>
        logical.LogicalTypeName is "timestamp-micros" or "timestamp-millis" or "local-timestamp-micros" or "local-timestamp-millis";

    /// <summary>A record of exactly two doubles named lat and lon is an ECS geo_point (geo.location).</summary>
    public static bool IsGeoPoint(RecordSchema record) =>
        record.Fields.Count == 2
        && record.Fields.Any(f => f.Name == "lat" && UnwrapNullable(f.Schema).Tag == Schema.Type.Double)
        && record.Fields.Any(f => f.Name == "lon" && UnwrapNullable(f.Schema).Tag == Schema.Type.Double);
}
