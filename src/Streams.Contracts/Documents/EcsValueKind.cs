namespace Streams.Contracts.Documents;

/// <summary>How a curated Avro value is written into an ECS JSON document, decided once per schema field.</summary>
internal enum EcsValueKind
{
    String,
    Long,
    Int,
    Double,
    Float,
    Boolean,
    Bytes,
    Enum,

    /// <summary>A timestamp-micros or timestamp-millis value (a <see cref="DateTime"/>), written as ISO-8601 UTC.</summary>
    Timestamp,
    Record,
    Array,
    Map,

    /// <summary>Anything else (a union of several non-null branches): written from the runtime type of the value.</summary>
    Dynamic,
}
