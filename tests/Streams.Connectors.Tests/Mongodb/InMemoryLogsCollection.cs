using MongoDB.Bson;
using Streams.Connectors.Mongodb;

namespace Streams.Connectors.Tests.Mongodb;

/// <summary>
/// A logs collection in memory, behind the connector's <see cref="IMongodbDocumentSource"/> seam, because no MongoDB
/// server is available here. It answers <c>find(filter).sort(sort).limit(n)</c> as MongoDB documents it for the
/// operators the connector sends (implicit AND, <c>$or</c>, <c>$gt</c>, <c>$gte</c>, <c>$exists</c>, equality;
/// comparisons within one BSON type, as MongoDB's type bracketing does), and records every query it was sent.
/// </summary>
internal sealed class InMemoryLogsCollection : IMongodbDocumentSource
{
    private readonly List<BsonDocument> _documents = [];
    private readonly List<(BsonDocument Filter, BsonDocument Sort, int Limit)> _queries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<(BsonDocument Filter, BsonDocument Sort, int Limit)> Queries
    {
        get
        {
            lock (_gate)
            {
                return [.. _queries];
            }
        }
    }

    public bool Disposed { get; private set; }

    public void Insert(params BsonDocument[] documents)
    {
        lock (_gate)
        {
            _documents.AddRange(documents.Select(d => d.DeepClone().AsBsonDocument));
        }
    }

    public Task<IReadOnlyList<BsonDocument>> FindAsync(BsonDocument filter, BsonDocument sort, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _queries.Add((filter.DeepClone().AsBsonDocument, sort.DeepClone().AsBsonDocument, limit));
            var found = _documents.Where(d => Matches(d, filter)).Order(Comparer<BsonDocument>.Create((a, b) => Compare(a, b, sort))).Take(limit);
            return Task.FromResult<IReadOnlyList<BsonDocument>>([.. found.Select(d => d.DeepClone().AsBsonDocument)]);
        }
    }

    public void Dispose() => Disposed = true;

    private static bool Matches(BsonDocument document, BsonDocument filter) => filter.All(element => element.Name switch
    {
        "$or" => element.Value.AsBsonArray.Any(f => Matches(document, f.AsBsonDocument)),
        "$and" => element.Value.AsBsonArray.All(f => Matches(document, f.AsBsonDocument)),
        _ => element.Value is BsonDocument { ElementCount: > 0 } ops && ops.GetElement(0).Name.StartsWith('$')
            ? ops.All(op => Satisfies(document, element.Name, op))
            : document.TryGetValue(element.Name, out var value) && value.Equals(element.Value),
    });

    private static bool Satisfies(BsonDocument document, string field, BsonElement op)
    {
        var present = document.TryGetValue(field, out var value);
        if (op.Name == "$exists")
        {
            return present == op.Value.ToBoolean();
        }

        if (!present || value.BsonType != op.Value.BsonType)
        {
            return false;
        }

        var order = value.CompareTo(op.Value);
        return op.Name switch
        {
            "$gt" => order > 0,
            "$gte" => order >= 0,
            "$lt" => order < 0,
            "$lte" => order <= 0,
            "$eq" => order == 0,
            _ => throw new NotSupportedException("operator " + op.Name + " is not one the connector sends"),
        };
    }

    private static int Compare(BsonDocument a, BsonDocument b, BsonDocument sort)
    {
        foreach (var key in sort)
        {
            var order = a.GetValue(key.Name, BsonNull.Value).CompareTo(b.GetValue(key.Name, BsonNull.Value)) * key.Value.ToInt32();
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}
