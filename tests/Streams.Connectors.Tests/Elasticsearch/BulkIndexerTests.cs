using System.Text;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class BulkIndexerTests
{
    private ElasticsearchDouble _es = null!;
    private ElasticsearchHttpClient _http = null!;

    [SetUp]
    public async Task StartElasticsearch() => _es = await ElasticsearchDouble.StartAsync();

    [TearDown]
    public async Task StopElasticsearch()
    {
        _http?.Dispose();
        await _es.DisposeAsync();
    }

    private BulkIndexer Indexer(ElasticsearchOptions options)
    {
        _http = new ElasticsearchHttpClient(options);
        return new BulkIndexer(_http, options);
    }

    [Test]
    public async Task A_batch_is_sent_when_it_reaches_the_document_count()
    {
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 3, lingerMs: 60_000));
        for (var i = 0; i < 6; i++)
        {
            await indexer.AddAsync(TestTargets.Doc("d" + i), CancellationToken.None);
        }

        var results = await TestTargets.ResultsAsync(indexer, 6);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(IndexOutcome.Created));
            Assert.That(_es.BulkRequests.Select(r => r.Items), Is.EqualTo(new[] { 3, 3 }));
            Assert.That(_es.DocumentCount("curated-nginx-2026.11.26"), Is.EqualTo(6));
        });
    }

    [Test]
    public async Task A_batch_is_sent_before_it_grows_past_the_byte_limit()
    {
        const long limit = 1024;
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 1000, maxBytes: limit, lingerMs: 60_000));
        var padding = new string('x', 250);
        for (var i = 0; i < 8; i++)
        {
            await indexer.AddAsync(TestTargets.Doc("d" + i, $$"""{"message":"{{padding}}"}"""), CancellationToken.None);
        }

        await TestTargets.ResultsAsync(indexer, 6);
        var requests = _es.BulkRequests;
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(requests.Select(r => r.DecompressedBytes), Is.All.LessThanOrEqualTo(limit));
        });
    }

    [Test]
    public async Task A_partial_batch_is_sent_after_the_linger()
    {
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 1000, lingerMs: 50));
        await indexer.AddAsync(TestTargets.Doc("alone"), CancellationToken.None);

        var results = await TestTargets.ResultsAsync(indexer, 1, timeoutSeconds: 5);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Outcome, Is.EqualTo(IndexOutcome.Created));
            Assert.That(_es.BulkRequests.Select(r => r.Items), Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public async Task Flush_returns_after_every_added_document_has_its_result()
    {
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 1000, lingerMs: 60_000));
        for (var i = 0; i < 5; i++)
        {
            await indexer.AddAsync(TestTargets.Doc("d" + i), CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await indexer.FlushAsync(timeout.Token);
        Assert.That(indexer.Results.Count, Is.EqualTo(5));
    }

    [Test]
    public async Task A_document_already_in_the_index_counts_as_written()
    {
        await using var indexer = Indexer(TestTargets.OptionsFor(_es));
        await indexer.AddAsync(TestTargets.Doc("same"), CancellationToken.None);
        await TestTargets.ResultsAsync(indexer, 1);
        await indexer.AddAsync(TestTargets.Doc("same", """{"message":"again"}"""), CancellationToken.None);

        var second = await TestTargets.ResultsAsync(indexer, 1);
        Assert.Multiple(() =>
        {
            Assert.That(second[0].Outcome, Is.EqualTo(IndexOutcome.AlreadyExisted));
            Assert.That(second[0].IsWritten, Is.True);
            Assert.That(_es.DocumentCount("curated-nginx-2026.11.26"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Rejected_items_are_retried_alone_until_written()
    {
        _es.RejectNextItems(5);
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 3, lingerMs: 60_000));
        for (var i = 0; i < 3; i++)
        {
            await indexer.AddAsync(TestTargets.Doc("d" + i), CancellationToken.None);
        }

        var results = await TestTargets.ResultsAsync(indexer, 3);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(IndexOutcome.Created));
            // 3 rejected, then 2 of the 3 retried rejected again, then those 2 alone.
            Assert.That(_es.BulkRequests.Select(r => r.Items), Is.EqualTo(new[] { 3, 3, 2 }));
            Assert.That(_es.DocumentCount("curated-nginx-2026.11.26"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_request_failing_with_503_is_sent_again()
    {
        _es.FailNextRequests(2);
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 2, lingerMs: 60_000));
        await indexer.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("b"), CancellationToken.None);

        var results = await TestTargets.ResultsAsync(indexer, 2);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(IndexOutcome.Created));
            Assert.That(_es.BulkRequests, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task A_dropped_connection_is_retried()
    {
        _es.DropNextRequests(2);
        await using var indexer = Indexer(TestTargets.OptionsFor(_es));
        await indexer.AddAsync(TestTargets.Doc("a"), CancellationToken.None);

        var results = await TestTargets.ResultsAsync(indexer, 1);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Outcome, Is.EqualTo(IndexOutcome.Created));
            Assert.That(_es.BulkRequests, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task A_request_too_large_is_halved_and_a_document_too_large_alone_is_dead_lettered()
    {
        _es.MaxRequestBytes = 600;
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 4, lingerMs: 60_000));
        await indexer.AddAsync(TestTargets.Doc("small1"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("huge", $$"""{"message":"{{new string('x', 800)}}"}"""), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("small2"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("small3"), CancellationToken.None);

        var results = (await TestTargets.ResultsAsync(indexer, 4)).ToDictionary(r => r.Request.Id);
        Assert.Multiple(() =>
        {
            Assert.That(results["huge"].Outcome, Is.EqualTo(IndexOutcome.DeadLettered));
            Assert.That(results["huge"].ErrorType, Is.EqualTo("request_entity_too_large"));
            Assert.That(results["huge"].ErrorReason, Does.Contain("larger than Elasticsearch accepts"));
            Assert.That(new[] { "small1", "small2", "small3" }.Select(id => results[id].Outcome), Is.All.EqualTo(IndexOutcome.Created));
            Assert.That(_es.DocumentCount("curated-nginx-2026.11.26"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Mapping_errors_are_dead_lettered_with_the_elasticsearch_error_type_and_reason()
    {
        _es.UnmappedFields.Add("surprise");
        _es.UnparseableFields.Add("bytes");
        await using var indexer = Indexer(TestTargets.OptionsFor(_es, maxDocs: 3, lingerMs: 60_000));
        await indexer.AddAsync(TestTargets.Doc("fine"), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("unmapped", """{"surprise":1}"""), CancellationToken.None);
        await indexer.AddAsync(TestTargets.Doc("unparseable", """{"bytes":"many"}"""), CancellationToken.None);

        var results = (await TestTargets.ResultsAsync(indexer, 3)).ToDictionary(r => r.Request.Id);
        Assert.Multiple(() =>
        {
            Assert.That(results["fine"].Outcome, Is.EqualTo(IndexOutcome.Created));
            Assert.That(results["unmapped"].Outcome, Is.EqualTo(IndexOutcome.DeadLettered));
            Assert.That(results["unmapped"].ErrorType, Is.EqualTo("strict_dynamic_mapping_exception"));
            Assert.That(results["unmapped"].ErrorReason, Does.Contain("surprise"));
            Assert.That(results["unparseable"].ErrorType, Is.EqualTo("document_parsing_exception"));
            Assert.That(_es.BulkRequests, Has.Count.EqualTo(1), "a mapping error is not retried");
        });
    }

    [Test]
    public async Task Requests_carry_the_api_key_and_a_gzip_ndjson_body()
    {
        var options = TestTargets.OptionsFor(_es);
        await using var indexer = Indexer(new ElasticsearchOptions
        {
            Urls = options.Urls,
            ApiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
            BulkLinger = options.BulkLinger,
        });
        await indexer.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
        await TestTargets.ResultsAsync(indexer, 1);

        var request = _es.BulkRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Authorization, Is.EqualTo("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="));
            Assert.That(request.ContentEncoding, Is.EqualTo("gzip"));
            Assert.That(request.ContentType, Does.StartWith("application/x-ndjson"));
        });
    }

    [Test]
    public async Task Basic_credentials_are_sent_and_compression_can_be_turned_off()
    {
        var options = TestTargets.OptionsFor(_es);
        await using var indexer = Indexer(new ElasticsearchOptions
        {
            Urls = options.Urls,
            Username = "elastic",
            Password = "changeme",
            CompressRequests = false,
            BulkLinger = options.BulkLinger,
        });
        await indexer.AddAsync(TestTargets.Doc("a"), CancellationToken.None);
        await TestTargets.ResultsAsync(indexer, 1);

        var request = _es.BulkRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:changeme"))));
            Assert.That(request.ContentEncoding, Is.Empty);
        });
    }
}
