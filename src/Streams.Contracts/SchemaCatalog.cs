using Avro;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;

namespace Streams.Contracts;

/// <summary>Every log source with its generated raw and curated types and their schemas (taken from the generated _SCHEMA fields).</summary>
public static class SchemaCatalog
{
    public const string Mysql = "mysql";
    public const string Mongodb = "mongodb";
    public const string Laravel = "laravel";
    public const string Elb = "elb";

    public static IReadOnlyList<SourceContract> Sources { get; } =
    [
        new(Mysql, typeof(MysqlRaw), MysqlRaw._SCHEMA, typeof(MysqlCurated), MysqlCurated._SCHEMA),
        new(Mongodb, typeof(MongodbRaw), MongodbRaw._SCHEMA, typeof(MongodbCurated), MongodbCurated._SCHEMA),
        new(Laravel, typeof(LaravelRaw), LaravelRaw._SCHEMA, typeof(LaravelCurated), LaravelCurated._SCHEMA),
        new(Elb, typeof(ElbRaw), ElbRaw._SCHEMA, typeof(ElbCurated), ElbCurated._SCHEMA),
    ];

    /// <summary>The contract of a source by its name (mysql, mongodb, laravel, elb).</summary>
    /// <exception cref="ArgumentException">No source has that name.</exception>
    public static SourceContract For(string source) =>
        Sources.FirstOrDefault(contract => contract.Source == source)
        ?? throw new ArgumentException($"unknown source '{source}'; known: {string.Join(", ", Sources.Select(contract => contract.Source))}", nameof(source));

    public static Schema RawSchema(string source) => For(source).RawSchema;

    public static Schema CuratedSchema(string source) => For(source).CuratedSchema;
}
