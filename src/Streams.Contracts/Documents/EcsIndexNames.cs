using System.Globalization;
using Avro;
using Avro.Specific;

namespace Streams.Contracts.Documents;

/// <summary>The daily Elasticsearch indices curated documents go to: curated-&lt;source&gt;-YYYY.MM.DD by event time in UTC.</summary>
public static class EcsIndexNames
{
    public const string Prefix = "curated-";

    /// <summary>The daily index of a source (mysql, mongodb, laravel, elb) for an event time, taken in UTC.</summary>
    public static string Daily(string source, DateTimeOffset eventTime) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{source}-{eventTime.UtcDateTime:yyyy.MM.dd}");

    /// <summary>The daily index of a source for an Avro timestamp (UTC; an unspecified kind is taken as UTC).</summary>
    public static string Daily(string source, DateTime eventTime) =>
        Daily(source, new DateTimeOffset(eventTime.Kind == DateTimeKind.Local ? eventTime.ToUniversalTime() : DateTime.SpecifyKind(eventTime, DateTimeKind.Utc)));

    /// <summary>The daily index of a curated record: its source from <see cref="SchemaCatalog"/>, its day from its @timestamp.</summary>
    /// <exception cref="ArgumentException">The record is not a curated type of the catalog.</exception>
    public static string For(ISpecificRecord curated)
    {
        var contract = SchemaCatalog.Sources.FirstOrDefault(source => source.CuratedType == curated.GetType())
            ?? throw new ArgumentException($"{curated.GetType().Name} is not a curated record", nameof(curated));
        var schema = (RecordSchema)curated.Schema;
        var timestamp = schema.Fields.First(field => EcsNames.SegmentOf(field) == "@timestamp");
        return Daily(contract.Source, (DateTime)curated.Get(timestamp.Pos));
    }
}
