using MongoDB.Bson;
using MongoDB.Bson.IO;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// Polls a logs collection, as the original system did, in the order of a field that only grows (<c>_id</c> or a
/// timestamp, ties broken by <c>_id</c>) and emits one <see cref="MongodbRaw"/> (kind COLLECTION_DOCUMENT) per
/// document, the document as relaxed Extended JSON in <c>text</c>. The offset is the position of the last document
/// sent; a restart resumes strictly after it. Documents inserted later with a position before it are not read.
/// </summary>
public sealed class MongodbCollectionSourceTask : ISourceTask<MongodbRaw, MongodbCollectionOffset>
{
    private static readonly JsonWriterSettings Relaxed = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson };
    private static readonly JsonWriterSettings Canonical = new() { OutputMode = JsonOutputMode.CanonicalExtendedJson };

    private readonly MongodbCollectionOptions _options;
    private readonly IMongodbDocumentSource _documents;
    private readonly TimeProvider _time;
    private readonly string _origin;
    private BsonDocument? _after;

    /// <param name="documents">Owned by the task from here on.</param>
    public MongodbCollectionSourceTask(MongodbCollectionOptions options, IMongodbDocumentSource documents, TimeProvider? time = null)
    {
        _options = options.Validate();
        _documents = documents;
        _time = time ?? TimeProvider.System;
        _origin = options.Origin;
    }

    /// <summary>A task reading the collection through MongoDB.Driver.</summary>
    public static MongodbCollectionSourceTask Connect(MongodbCollectionOptions options, TimeProvider? time = null) =>
        new(options, new MongodbDriverDocumentSource(options), time);

    public ValueTask StartAsync(IReadOnlyDictionary<string, MongodbCollectionOffset> committedOffsets, CancellationToken cancellationToken)
    {
        _after = null;
        if (committedOffsets.TryGetValue(_options.SourcePartition, out var offset))
        {
            if (offset.Field != _options.Field)
            {
                throw new StreamsConfigException(
                    MongodbCollectionOptions.KeyPrefix + "field",
                    $"is '{_options.Field}' but the stored offset of {_options.SourcePartition} was taken on '{offset.Field}'; set it back, or give the connector a new name to read from the start");
            }

            _after = BsonDocument.Parse(offset.After);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<SourceRecord<MongodbRaw, MongodbCollectionOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
    {
        var (filter, sort) = MongodbCollectionQuery.After(_options.Field, _after);
        var documents = await _documents.FindAsync(filter, sort, maxRecords, cancellationToken);
        var now = _time.GetUtcNow().UtcDateTime;
        var batch = new List<SourceRecord<MongodbRaw, MongodbCollectionOffset>>(documents.Count);
        foreach (var document in documents)
        {
            _after = MongodbCollectionQuery.PositionOf(_options.Field, document);
            var offset = new MongodbCollectionOffset(_options.Field, _after.ToJson(Canonical));
            var value = new MongodbRaw
            {
                origin = _origin,
                ingested_at = now,
                offset = System.Text.Encoding.UTF8.GetString(SourceOffsetStore<MongodbCollectionOffset>.Value(offset)),
                kind = MongodbRawKind.COLLECTION_DOCUMENT,
                text = document.ToJson(Relaxed),
            };
            batch.Add(new SourceRecord<MongodbRaw, MongodbCollectionOffset>(_origin, value, _options.SourcePartition, offset));
        }

        return batch;
    }

    public ValueTask DisposeAsync()
    {
        _documents.Dispose();
        return ValueTask.CompletedTask;
    }
}
