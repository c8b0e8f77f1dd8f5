using MongoDB.Bson;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// The one thing the collection connector asks of MongoDB: a page of documents by filter, sort and limit, as
/// <c>db.collection.find(filter).sort(sort).limit(limit)</c>. The seam between the query and paging logic
/// (<see cref="MongodbCollectionQuery"/>, <see cref="MongodbCollectionSourceTask"/>) and the driver
/// (<see cref="MongodbDriverDocumentSource"/>), so that logic is tested without a server.
/// </summary>
public interface IMongodbDocumentSource : IDisposable
{
    Task<IReadOnlyList<BsonDocument>> FindAsync(BsonDocument filter, BsonDocument sort, int limit, CancellationToken cancellationToken);
}
