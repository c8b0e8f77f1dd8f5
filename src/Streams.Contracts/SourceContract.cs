using Avro;

namespace Streams.Contracts;

/// <summary>The raw and curated Avro contracts of one log source, with the topics and Schema Registry subjects that carry them.</summary>
public sealed class SourceContract
{
    internal SourceContract(string source, Type rawType, Schema rawSchema, Type curatedType, Schema curatedSchema)
    {
        Source = source;
        RawType = rawType;
        RawSchema = rawSchema;
        CuratedType = curatedType;
        CuratedSchema = curatedSchema;
    }

    /// <summary>The source name as it appears in topic names: mysql, mongodb, laravel or elb.</summary>
    public string Source { get; }

    public Type RawType { get; }

    public Schema RawSchema { get; }

    public Type CuratedType { get; }

    public Schema CuratedSchema { get; }

    public string RawTopic => $"raw.{Source}";

    public string CuratedTopic => $"curated.{Source}";

    /// <summary>Subject of the raw value schema under Confluent's TopicNameStrategy.</summary>
    public string RawSubject => $"{RawTopic}-value";

    /// <summary>Subject of the curated value schema under Confluent's TopicNameStrategy.</summary>
    public string CuratedSubject => $"{CuratedTopic}-value";
}
