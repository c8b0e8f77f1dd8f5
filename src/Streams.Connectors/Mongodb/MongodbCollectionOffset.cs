namespace Streams.Connectors.Mongodb;

/// <summary>
/// Where to resume in a logs collection: the position of the last document sent, as canonical Extended JSON
/// (<c>{"_id": {"$oid": …}}</c>, or <c>{"ts": …, "_id": …}</c> for a timestamp field), so that its BSON types survive.
/// </summary>
/// <param name="Field">The field the position was taken on; resuming by another field is refused.</param>
public sealed record MongodbCollectionOffset(string Field, string After);
