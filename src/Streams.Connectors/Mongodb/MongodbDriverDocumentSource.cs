using MongoDB.Bson;
using MongoDB.Driver;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// <see cref="IMongodbDocumentSource"/> over MongoDB.Driver: a find with the filter, sort and limit as given. No
/// MongoDB server is available where the tests run: the tests check the query this renders, not a round trip.
/// </summary>
public sealed class MongodbDriverDocumentSource : IMongodbDocumentSource
{
    private readonly MongoClient _client;
    private readonly IMongoCollection<BsonDocument> _collection;

    public MongodbDriverDocumentSource(MongodbCollectionOptions options)
    {
        options.Validate();
        _client = new MongoClient(options.ConnectionString);
        _collection = _client.GetDatabase(options.Database).GetCollection<BsonDocument>(options.Collection);
    }

    public async Task<IReadOnlyList<BsonDocument>> FindAsync(BsonDocument filter, BsonDocument sort, int limit, CancellationToken cancellationToken) =>
        await Find(filter, sort, limit).ToListAsync(cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>The find as the driver will send it; its ToString() renders the shell form.</summary>
    internal IFindFluent<BsonDocument, BsonDocument> Find(BsonDocument filter, BsonDocument sort, int limit) =>
        _collection.Find(filter).Sort(sort).Limit(limit);
}
