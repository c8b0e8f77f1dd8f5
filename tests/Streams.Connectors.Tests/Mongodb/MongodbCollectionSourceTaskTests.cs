using MongoDB.Bson;
using Streams.Connectors.Framework;
using Streams.Connectors.Mongodb;
using Streams.Connectors.Tests.Files;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;
using Streams.Topology.Curation;

namespace Streams.Connectors.Tests.Mongodb;

/// <summary>
/// The collection connector at its boundary with MongoDB: the queries it sends and how it pages and resumes, against
/// <see cref="InMemoryLogsCollection"/>. No MongoDB server is available here, so there is no round trip to a real one;
/// the driver adapter is checked on the query it renders.
/// </summary>
[TestFixture]
public sealed class MongodbCollectionSourceTaskTests
{
    private static readonly DateTime Noon = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task By_id_the_first_page_reads_from_the_start_and_the_next_resumes_after_the_last_id()
    {
        var collection = new InMemoryLogsCollection();
        var documents = Documents(5);
        collection.Insert(documents);
        await using var task = await Started(collection, "_id");

        var first = await task.PollAsync(3, CancellationToken.None);
        var second = await task.PollAsync(3, CancellationToken.None);
        var third = await task.PollAsync(3, CancellationToken.None);

        var queries = collection.Queries;
        Assert.Multiple(() =>
        {
            Assert.That(first.Concat(second).Select(r => Id(r.Value)), Is.EqualTo(documents.Select(d => d["_id"])));
            Assert.That(third, Is.Empty);
            Assert.That(queries[0].Filter, Is.EqualTo(new BsonDocument()));
            Assert.That(queries[0].Sort, Is.EqualTo(new BsonDocument("_id", 1)));
            Assert.That(queries[0].Limit, Is.EqualTo(3));
            Assert.That(queries[1].Filter, Is.EqualTo(new BsonDocument("_id", new BsonDocument("$gt", documents[2]["_id"]))));
            Assert.That(queries[2].Filter, Is.EqualTo(new BsonDocument("_id", new BsonDocument("$gt", documents[4]["_id"]))));
            Assert.That(first[2].SourceOffset, Is.EqualTo(new MongodbCollectionOffset("_id", $$"""{ "_id" : { "$oid" : "{{documents[2]["_id"]}}" } }""")));
            Assert.That(first.Select(r => r.SourcePartition).Distinct(), Is.EqualTo(new[] { "app.logs" }));
            Assert.That(first.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { "db-1:27017,db-2:27017/app.logs" }));
        });
    }

    [Test]
    public async Task A_restart_resumes_after_the_committed_document_and_sees_documents_added_since()
    {
        var collection = new InMemoryLogsCollection();
        var documents = Documents(6);
        collection.Insert(documents[..4]);
        await using var task = await Started(collection, "_id");
        var read = await task.PollAsync(10, CancellationToken.None);

        collection.Insert(documents[4..]);
        await task.StartAsync(new Dictionary<string, MongodbCollectionOffset> { ["app.logs"] = read[1].SourceOffset }, CancellationToken.None);
        var resumed = await task.PollAsync(10, CancellationToken.None);

        Assert.That(resumed.Select(r => Id(r.Value)), Is.EqualTo(documents[2..].Select(d => d["_id"])));
    }

    [Test]
    public async Task On_a_timestamp_ties_are_paged_through_by_id_without_skipping_or_repeating()
    {
        var collection = new InMemoryLogsCollection();
        var documents = Documents(8, i => Noon.AddSeconds(i is >= 2 and <= 5 ? 2 : i));
        collection.Insert([.. documents.Reverse()]);
        await using var task = await Started(collection, "ts");

        var pages = new List<IReadOnlyList<SourceRecord<MongodbRaw, MongodbCollectionOffset>>>();
        for (var page = await task.PollAsync(3, CancellationToken.None); page.Count > 0; page = await task.PollAsync(3, CancellationToken.None))
        {
            pages.Add(page);
        }

        // Restart in the middle of the tie (after the fourth document) with what a commit would have stored.
        await task.StartAsync(new Dictionary<string, MongodbCollectionOffset> { ["app.logs"] = pages[1][0].SourceOffset }, CancellationToken.None);
        var resumed = await task.PollAsync(10, CancellationToken.None);

        var queries = collection.Queries;
        var tie = documents[3];
        Assert.Multiple(() =>
        {
            Assert.That(pages.SelectMany(p => p).Select(r => Id(r.Value)), Is.EqualTo(documents.Select(d => d["_id"])), "every document once, in (ts, _id) order");
            Assert.That(queries[0].Filter, Is.EqualTo(new BsonDocument("ts", new BsonDocument("$exists", true))));
            Assert.That(queries[0].Sort, Is.EqualTo(new BsonDocument { { "ts", 1 }, { "_id", 1 } }));
            Assert.That(queries[^1].Filter, Is.EqualTo(new BsonDocument("$or", new BsonArray
            {
                new BsonDocument("ts", new BsonDocument("$gt", tie["ts"])),
                new BsonDocument { { "ts", tie["ts"] }, { "_id", new BsonDocument("$gt", tie["_id"]) } },
            })));
            Assert.That(resumed.Select(r => Id(r.Value)), Is.EqualTo(documents[4..].Select(d => d["_id"])));
            Assert.That(pages[1][0].SourceOffset.After, Does.Contain("\"$date\" : { \"$numberLong\""), "the stored position keeps the BSON date type");
        });
    }

    [Test]
    public async Task A_document_is_sent_as_relaxed_extended_json_that_the_topology_curates()
    {
        var line = LogDirectory.Corpus("mongodb-4.4-json.log").Split('\n')[0];
        var document = BsonDocument.Parse(line);
        document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        var collection = new InMemoryLogsCollection();
        collection.Insert(document);
        await using var task = await Started(collection, "_id");

        var record = (await task.PollAsync(10, CancellationToken.None)).Single().Value;

        var outcome = new MongodbCuration().Curate(record);
        Assert.Multiple(() =>
        {
            Assert.That(record.kind, Is.EqualTo(MongodbRawKind.COLLECTION_DOCUMENT));
            Assert.That(record.text, Does.Contain("\"t\" : { \"$date\" : \"2021-03-22T21:21:20.349Z\" }"));
            Assert.That(record.text, Does.Contain("\"pid\" : 1,"), "numbers stay plain in relaxed Extended JSON");
            Assert.That(outcome.Failure, Is.Null);
            Assert.That(outcome.EventTime, Is.EqualTo(new DateTimeOffset(2021, 3, 22, 21, 21, 20, 349, TimeSpan.Zero)));
        });
    }

    [Test]
    public async Task An_offset_taken_on_another_field_is_refused_naming_the_key()
    {
        await using var task = new MongodbCollectionSourceTask(Options("ts"), new InMemoryLogsCollection());

        var ex = await Assert.ThrowsAsync<StreamsConfigException>(async () =>
            await task.StartAsync(new Dictionary<string, MongodbCollectionOffset> { ["app.logs"] = new("_id", """{ "_id" : { "$oid" : "6745a0000000000000000000" } }""") }, CancellationToken.None));

        Assert.That(ex!.Key, Is.EqualTo("mongodb.collection.field"));
    }

    [Test]
    public async Task Through_the_runner_the_offset_round_trips_the_offsets_topic()
    {
        var collection = new InMemoryLogsCollection();
        var documents = Documents(9, i => Noon.AddSeconds(i / 3));
        collection.Insert(documents[..5]);
        await using var cluster = ConnectorCluster.Start(topic: "raw.mongodb");
        await RunUntil(cluster, collection, 5);

        collection.Insert(documents[5..]);
        await RunUntil(cluster, collection, 4);

        var raw = cluster.ReadRaw<MongodbRaw>();
        Assert.Multiple(() =>
        {
            Assert.That(raw.Select(r => Id(r.Value)), Is.EqualTo(documents.Select(d => d["_id"])));
            Assert.That(raw.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { "db-1:27017,db-2:27017/app.logs" }));
        });
    }

    [Test]
    public void The_driver_adapter_sends_the_filter_sort_and_limit_as_given()
    {
        using var source = new MongodbDriverDocumentSource(Options("ts"));
        var (filter, sort) = MongodbCollectionQuery.After("ts", new BsonDocument { { "ts", Noon }, { "_id", new ObjectId("6745a0000000000000000001") } });

        var find = source.Find(filter, sort, 250).ToString();

        Assert.That(find, Is.EqualTo(
            """find({ "$or" : [{ "ts" : { "$gt" : { "$date" : "2026-11-26T12:00:00Z" } } }, { "ts" : { "$date" : "2026-11-26T12:00:00Z" }, "_id" : { "$gt" : { "$oid" : "6745a0000000000000000001" } } }] }).sort({ "ts" : 1, "_id" : 1 }).limit(250)"""));
    }

    [TestCase("not a uri", "app", "logs", "_id", "mongodb.collection.uri")]
    [TestCase("mongodb://db-1", "", "logs", "_id", "mongodb.collection.database")]
    [TestCase("mongodb://db-1", "app", "", "_id", "mongodb.collection.name")]
    [TestCase("mongodb://db-1", "app", "logs", "$natural", "mongodb.collection.field")]
    [TestCase("mongodb://db-1", "app", "logs", "meta.ts", "mongodb.collection.field")]
    public void Bad_settings_fail_naming_the_key(string uri, string database, string collection, string field, string key) =>
        Assert.That(() => new MongodbCollectionOptions { ConnectionString = uri, Database = database, Collection = collection, Field = field }.Validate(),
            Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo(key));

    private static async Task RunUntil(ConnectorCluster cluster, InMemoryLogsCollection collection, int count)
    {
        await using var runner = new SourceConnectorRunner<MongodbRaw, MongodbCollectionOffset>(
            cluster.Options("mongodb-logs", batchSize: 2), new MongodbCollectionSourceTask(Options("ts"), new SharedCollection(collection)));
        runner.Start();
        await Eventually.Until(() => runner.CommittedRecords >= count || runner.Completion.IsCompleted, TimeSpan.FromSeconds(20), $"{count} documents committed");
        await runner.StopAsync(CancellationToken.None);
    }

    private static MongodbCollectionOptions Options(string field) =>
        new() { ConnectionString = "mongodb://reader:secret@db-1:27017,db-2:27017/?authSource=admin", Database = "app", Collection = "logs", Field = field };

    private static async Task<MongodbCollectionSourceTask> Started(InMemoryLogsCollection collection, string field)
    {
        var task = new MongodbCollectionSourceTask(Options(field), collection);
        await task.StartAsync(new Dictionary<string, MongodbCollectionOffset>(), CancellationToken.None);
        return task;
    }

    /// <summary>Log documents with increasing ObjectIds and, when given, a timestamp field <c>ts</c>.</summary>
    private static BsonDocument[] Documents(int count, Func<int, DateTime>? ts = null) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var document = new BsonDocument { { "_id", new ObjectId($"6745a0{i:x18}") }, { "level", "info" }, { "msg", $"m{i}" } };
        if (ts is not null)
        {
            document["ts"] = ts(i);
        }

        return document;
    })];

    private static BsonValue Id(MongodbRaw raw) => BsonDocument.Parse(raw.text)["_id"];

    /// <summary>The runner disposes its task and the task its source: each run gets a view that leaves the collection alone.</summary>
    private sealed class SharedCollection(InMemoryLogsCollection inner) : IMongodbDocumentSource
    {
        public Task<IReadOnlyList<BsonDocument>> FindAsync(BsonDocument filter, BsonDocument sort, int limit, CancellationToken cancellationToken) =>
            inner.FindAsync(filter, sort, limit, cancellationToken);

        public void Dispose()
        {
        }
    }
}
