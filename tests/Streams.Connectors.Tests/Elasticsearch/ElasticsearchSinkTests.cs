using System.Text;
using Confluent.Kafka;
using Streams.Connectors.Elasticsearch;
using Streams.Runtime.Embedded;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class ElasticsearchSinkTests
{
    private const string Topic = "curated.nginx";
    private const string Index = "curated-nginx-2026.11.26";
    private EmbeddedKafkaCluster _cluster = null!;
    private ElasticsearchDouble _es = null!;
    private ElasticsearchHttpClient _http = null!;
    private ElasticsearchOptions _options = null!;

    [SetUp]
    public async Task Start()
    {
        _cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        _cluster.CreateTopic(Topic, partitions: 2);
        _cluster.CreateTopic("dlq.sink");
        _es = await ElasticsearchDouble.StartAsync();
        _options = TestTargets.OptionsFor(_es, maxDocs: 10, lingerMs: 10);
        _http = new ElasticsearchHttpClient(_options);
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _es.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Key = document id; a key starting with "bad" makes the renderer throw.</summary>
    private static SinkDocument Render(ConsumeResult<byte[], byte[]> record)
    {
        var id = Encoding.UTF8.GetString(record.Message.Key);
        return id.StartsWith("bad", StringComparison.Ordinal)
            ? throw new FormatException($"no timestamp in record {id}")
            : new SinkDocument(Index, id, record.Message.Value);
    }

    private void Produce(IEnumerable<string> ids, Func<string, string>? json = null)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        foreach (var id in ids)
        {
            var headers = new Headers { { "origin", Encoding.UTF8.GetBytes("test") } };
            var value = json?.Invoke(id) ?? $$"""{"message":"{{id}}"}""";
            producer.Produce(Topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(value), Headers = headers });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private static IEnumerable<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(i => "r" + i);

    private ElasticsearchSink Sink(string group, int maxRecordsInFlight = 6000, IIndexTarget? target = null) => new(
        new ElasticsearchSinkOptions
        {
            MaxRecordsInFlight = maxRecordsInFlight,
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = group,
            Topics = [Topic],
            CommitInterval = TimeSpan.FromMilliseconds(100),
            CloseTimeout = TimeSpan.FromMilliseconds(300),
            ClientSettings = new Dictionary<string, string>
            {
                ["consumer.session.timeout.ms"] = "2000",
                ["consumer.heartbeat.interval.ms"] = "200",
                ["topic.metadata.refresh.interval.ms"] = "1000",
            },
        },
        target ?? new BulkIndexer(_http, _options),
        Render);

    /// <summary>Runs a sink until <paramref name="done"/> holds, then stops it gracefully.</summary>
    private static async Task RunUntilAsync(ElasticsearchSink sink, Func<bool> done, string what)
    {
        using var stop = new CancellationTokenSource();
        var run = sink.RunAsync(stop.Token);
        try
        {
            await TestTargets.WaitUntilAsync(() => done() || run.IsCompleted, what, timeoutSeconds: 20);

        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    private long CommittedTotal(string group)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = group }).Build();
        var committed = consumer.Committed([new TopicPartition(Topic, 0), new TopicPartition(Topic, 1)], TimeSpan.FromSeconds(10));
        return committed.Sum(c => Math.Max(0, c.Offset.Value));
    }

    [Test]
    public async Task Every_record_becomes_one_document_and_its_offset_is_committed()
    {
        Produce(Ids(0, 60));
        await using var sink = Sink("g1");

        await RunUntilAsync(sink, () => _es.TotalDocuments == 60, "60 documents are indexed");

        Assert.Multiple(() =>
        {
            Assert.That(_es.DocumentCount(Index), Is.EqualTo(60));
            Assert.That(CommittedTotal("g1"), Is.EqualTo(60));
        });
    }

    [Test]
    public async Task Reading_the_same_records_again_writes_nothing_twice()
    {
        Produce(Ids(0, 30));
        await using (var first = Sink("first"))
        {
            await RunUntilAsync(first, () => _es.TotalDocuments == 30, "30 documents are indexed");
        }

        // A new group starts from the earliest offset: a full replay.
        await using var replay = Sink("replay");
        await RunUntilAsync(replay, () => replay.DocumentsWritten == 30, "the replay has a result for all 30 records");

        Assert.Multiple(() =>
        {
            Assert.That(_es.TotalDocuments, Is.EqualTo(30));
            Assert.That(CommittedTotal("replay"), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task A_replay_from_offset_zero_after_a_crash_writes_no_document_twice()
    {
        const int records = 400;
        Produce(Ids(0, records));
        _es.ResponseDelay = TimeSpan.FromMilliseconds(20);
        var crashing = new CrashAfterResults(new BulkIndexer(_http, _options), results: 100);
        await using (var first = Sink("crashing", target: crashing))
        {
            // The target fails mid-run: the sink stops without flushing, closing or a final commit, like a killed process.
            using var never = new CancellationTokenSource();
            Assert.That(async () => await first.RunAsync(never.Token).WaitAsync(TimeSpan.FromSeconds(20)), Throws.InvalidOperationException);
        }

        // Let a bulk request the double had already started finish before counting.
        await Task.Delay(200);
        var writtenBeforeCrash = _es.TotalDocuments;
        Assert.That(writtenBeforeCrash, Is.InRange(100, records - 1), "the crash came mid-way");

        // A new group reads everything again from offset 0.
        await using var replay = Sink("replay");
        await RunUntilAsync(replay, () => replay.DocumentsWritten == records, $"the replay has a result for all {records} records");

        Assert.Multiple(() =>
        {
            Assert.That(_es.TotalDocuments, Is.EqualTo(records));
            Assert.That(_es.Documents().Select(d => d.Id), Is.EquivalentTo(Ids(0, records)), "each record once");
            Assert.That(_es.FaultCounts.GetValueOrDefault("409"), Is.EqualTo(writtenBeforeCrash), "every document written before the crash met its 409");
            Assert.That(CommittedTotal("replay"), Is.EqualTo(records));
        });
    }

    [Test]
    public async Task The_embedded_file_target_holds_each_record_once_after_a_replay()
    {
        var directory = Directory.CreateTempSubdirectory("sink-ndjson-").FullName;
        try
        {
            Produce(Ids(0, 25));
            await using (var first = Sink("first", target: new NdjsonFileTarget(directory)))
            {
                await RunUntilAsync(first, () => first.DocumentsWritten == 25, "25 documents are written");
            }

            await using (var replay = Sink("replay", target: new NdjsonFileTarget(directory)))
            {
                await RunUntilAsync(replay, () => replay.DocumentsWritten == 25, "the replay has a result for all 25 records");
            }

            var lines = await File.ReadAllLinesAsync(Path.Combine(directory, Index + ".ndjson"));
            Assert.Multiple(() =>
            {
                Assert.That(lines, Has.Length.EqualTo(50));
                Assert.That(lines.Where((_, i) => i % 2 == 1).Distinct().Count(), Is.EqualTo(25));
                Assert.That(CommittedTotal("replay"), Is.EqualTo(25));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Offsets_are_committed_only_past_acknowledged_documents_across_a_stop_during_a_429_streak()
    {
        Produce(Ids(0, 20));
        await using (var before = Sink("g"))
        {
            await RunUntilAsync(before, () => _es.TotalDocuments == 20, "the first 20 are indexed");
        }

        Assert.That(CommittedTotal("g"), Is.EqualTo(20));
        const int streak = 1_000_000;
        _es.RejectNextItems(streak);
        Produce(Ids(20, 20));
        await using (var during = Sink("g"))
        {
            await RunUntilAsync(during, () => _es.PendingItemRejections <= streak - 40, "each of the next 20 has been rejected twice");
        }

        Assert.Multiple(() =>
        {
            Assert.That(_es.TotalDocuments, Is.EqualTo(20));
            Assert.That(CommittedTotal("g"), Is.EqualTo(20), "nothing rejected may be committed");
        });

        _es.RejectNextItems(0);
        await using (var after = Sink("g"))
        {
            await RunUntilAsync(after, () => _es.TotalDocuments == 40 && CommittedTotal("g") == 40, "all 40 are indexed and committed");
            Assert.That(after.DocumentsWritten, Is.EqualTo(20), "only the uncommitted records are read again");
        }

        Assert.That(_es.TotalDocuments, Is.EqualTo(40));
    }

    [Test]
    public async Task Consumption_pauses_while_too_many_records_are_unfinished_and_resumes_when_they_are_written()
    {
        const int streak = 1_000_000;
        _es.RejectNextItems(streak);
        Produce(Ids(0, 30));
        await using var sink = Sink("g", maxRecordsInFlight: 5);
        using var stop = new CancellationTokenSource();
        var run = sink.RunAsync(stop.Token);
        var mostInFlight = 0;
        await TestTargets.WaitUntilAsync(
            () =>
            {
                mostInFlight = Math.Max(mostInFlight, sink.RecordsInFlight);
                return _es.PendingItemRejections <= streak - 50;
            },
            "the first records have been rejected many times");

        _es.RejectNextItems(0);
        await TestTargets.WaitUntilAsync(() => { mostInFlight = Math.Max(mostInFlight, sink.RecordsInFlight); return _es.TotalDocuments == 30; }, "all 30 are written");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(mostInFlight, Is.InRange(1, 6), "one record may arrive in the turn that pauses");
            Assert.That(CommittedTotal("g"), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task A_record_the_renderer_throws_on_goes_to_the_dead_letter_topic_with_the_error_in_headers()
    {
        Produce(["r0", "bad1", "r2"]);
        await using var sink = Sink("g");

        await RunUntilAsync(sink, () => sink.RecordsDeadLettered == 1 && _es.TotalDocuments == 2, "one dead letter and two documents");

        var dead = ReadDeadLetters(1).Single();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(dead.Message.Key), Is.EqualTo("bad1"));
            Assert.That(Encoding.UTF8.GetString(dead.Message.Value), Is.EqualTo("""{"message":"bad1"}"""));
            Assert.That(Header(dead, "origin"), Is.EqualTo("test"));
            Assert.That(Header(dead, "__streams.errors.stage"), Is.EqualTo("sink"));
            Assert.That(Header(dead, "__streams.errors.reason"), Does.Contain("no timestamp in record bad1"));
            Assert.That(Header(dead, "__streams.errors.exception.class"), Is.EqualTo(typeof(FormatException).FullName));
            Assert.That(Header(dead, "__streams.errors.exception.message"), Is.EqualTo("no timestamp in record bad1"));
            Assert.That(Header(dead, "__streams.errors.topic"), Is.EqualTo(Topic));
            Assert.That(Header(dead, "__streams.errors.partition"), Is.AnyOf("0", "1"));
            Assert.That(long.Parse(Header(dead, "__streams.errors.offset")!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0));
            Assert.That(CommittedTotal("g"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_document_elasticsearch_refuses_goes_to_the_dead_letter_topic_with_its_error_type()
    {
        _es.UnmappedFields.Add("surprise");
        Produce(["r0", "r1"], id => id == "r1" ? """{"surprise":true}""" : """{"message":"fine"}""");
        await using var sink = Sink("g");

        await RunUntilAsync(sink, () => sink.RecordsDeadLettered == 1 && _es.TotalDocuments == 1, "one dead letter and one document");

        var dead = ReadDeadLetters(1).Single();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(dead.Message.Key), Is.EqualTo("r1"));
            Assert.That(Header(dead, "__streams.errors.es.type"), Is.EqualTo("strict_dynamic_mapping_exception"));
            Assert.That(Header(dead, "__streams.errors.es.reason"), Does.Contain("surprise"));
            Assert.That(Header(dead, "__streams.errors.stage"), Is.EqualTo("sink"));
            Assert.That(CommittedTotal("g"), Is.EqualTo(2));
        });
    }

    private static string? Header(ConsumeResult<byte[], byte[]> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    private List<ConsumeResult<byte[], byte[]>> ReadDeadLetters(int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "verify-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Subscribe("dlq.sink");
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r)
            {
                results.Add(r);
            }
        }

        consumer.Close();
        return results;
    }

    /// <summary>Passes requests to an inner target and fails (like a crashing process) after a number of results.</summary>
    private sealed class CrashAfterResults : IIndexTarget
    {
        private readonly IIndexTarget _inner;
        private readonly System.Threading.Channels.Channel<IndexResult> _results = System.Threading.Channels.Channel.CreateUnbounded<IndexResult>();
        private readonly Task _pump;

        public CrashAfterResults(IIndexTarget inner, int results)
        {
            _inner = inner;
            _pump = Task.Run(async () =>
            {
                for (var i = 0; i < results; i++)
                {
                    _results.Writer.TryWrite(await inner.Results.ReadAsync());
                }

                _results.Writer.TryComplete(new IOException("simulated crash"));
            });
        }

        public System.Threading.Channels.ChannelReader<IndexResult> Results => _results.Reader;

        public ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken) => _inner.AddAsync(request, cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _inner.DisposeAsync();
            await _pump.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
