using MongoDB.Bson;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// The keyset query that reads a logs collection in order of a field that only grows: sorted by the field and then
/// <c>_id</c>, and resuming strictly after the last position sent. On <c>_id</c> alone positions are unique; on a
/// timestamp, documents that tie on it are told apart by <c>_id</c>, so a batch may end in the middle of a tie.
/// Pure: the filter and sort are what <see cref="IMongodbDocumentSource"/> sends to the server.
/// </summary>
public static class MongodbCollectionQuery
{
    private const string Id = "_id";

    /// <summary>The filter and sort of the next page after <paramref name="after"/> (null: from the first document).</summary>
    public static (BsonDocument Filter, BsonDocument Sort) After(string field, BsonDocument? after)
    {
        if (field == Id)
        {
            var idFilter = after is null ? new BsonDocument() : new BsonDocument(Id, new BsonDocument("$gt", after[Id]));
            return (idFilter, new BsonDocument(Id, 1));
        }

        var sort = new BsonDocument { { field, 1 }, { Id, 1 } };

        // Documents without the field have no place in the order: they are not read.
        var filter = after is null
            ? new BsonDocument(field, new BsonDocument("$exists", true))
            : new BsonDocument("$or", new BsonArray
            {
                new BsonDocument(field, new BsonDocument("$gt", after[field])),
                new BsonDocument { { field, after[field] }, { Id, new BsonDocument("$gt", after[Id]) } },
            });
        return (filter, sort);
    }

    /// <summary>The position of <paramref name="document"/> in that order: its field's value and its <c>_id</c>.</summary>
    public static BsonDocument PositionOf(string field, BsonDocument document) =>
        field == Id
            ? new BsonDocument(Id, document[Id])
            : new BsonDocument { { field, document[field] }, { Id, document[Id] } };
}
