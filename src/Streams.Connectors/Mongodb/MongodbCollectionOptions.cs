using MongoDB.Driver;
using Streams.Runtime;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// Which logs collection the collection connector polls (keys under <c>mongodb.collection.</c>);
/// <see cref="Validate"/> names the key of the first wrong setting.
/// </summary>
public sealed record MongodbCollectionOptions
{
    public const string KeyPrefix = "mongodb.collection.";

    private static readonly System.Buffers.SearchValues<char> ForbiddenInDatabaseNames = System.Buffers.SearchValues.Create("/\\. \"$");

    /// <summary>mongodb.collection.uri: a MongoDB connection string; a user with the read role is enough.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>mongodb.collection.database</summary>
    public required string Database { get; init; }

    /// <summary>mongodb.collection.name: the logs collection.</summary>
    public required string Collection { get; init; }

    /// <summary>
    /// mongodb.collection.field: the top-level field that only grows as documents are added: <c>_id</c> (an ObjectId,
    /// the default) or a timestamp; ties on a timestamp are broken by <c>_id</c>.
    /// </summary>
    public string Field { get; init; } = "_id";

    /// <summary>The offsets are kept per collection.</summary>
    public string SourcePartition => Database + "." + Collection;

    /// <summary>The raw record key and origin: the servers of the connection string, then the collection.</summary>
    public string Origin => string.Join(',', MongoUrl.Create(ConnectionString).Servers.Select(s => s.ToString())) + "/" + SourcePartition;

    public MongodbCollectionOptions Validate()
    {
        try
        {
            _ = MongoUrl.Create(ConnectionString);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or ArgumentException or FormatException)
        {
            throw new StreamsConfigException(KeyPrefix + "uri", "must be a MongoDB connection string such as mongodb://user:password@host:27017/?authSource=admin: " + ex.Message);
        }

        if (string.IsNullOrWhiteSpace(Database) || Database.AsSpan().IndexOfAny(ForbiddenInDatabaseNames) >= 0)
        {
            throw new StreamsConfigException(KeyPrefix + "database", "must name a database (no /\\. \"$)");
        }

        if (string.IsNullOrWhiteSpace(Collection) || Collection.Contains('$', StringComparison.Ordinal) || Collection.StartsWith("system.", StringComparison.Ordinal))
        {
            throw new StreamsConfigException(KeyPrefix + "name", "must name a collection (no $, not system.*)");
        }

        if (string.IsNullOrWhiteSpace(Field) || Field.StartsWith('$') || Field.Contains('.', StringComparison.Ordinal))
        {
            throw new StreamsConfigException(KeyPrefix + "field", "must be a top-level field name such as _id or ts");
        }

        return this;
    }
}
