using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Streams.Contracts.Raw;
using Streams.Hosting.Http;
using Streams.Runtime;
using Streams.Runtime.Embedded;
using Streams.Runtime.Serdes.Avro;
using Streams.Topology.Curation;

namespace Streams.Hosting.Tests;

/// <summary>
/// <c>streams topology</c>'s service on the embedded cluster, seen only through its HTTP endpoint: not ready while the
/// dedup store restores from a pre-filled changelog, ready after; /metrics moves as raw records are curated.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class TopologyServiceTests
{
    private const int ChangelogRecords = 60_000;

    [Test]
    public async Task Ready_only_after_restoring_and_the_metrics_move_as_records_flow()
    {
        var scope = "hosting-" + Guid.NewGuid().ToString("N");
        var registry = MockSchemaRegistry.ForScope(scope);
        var stateDir = Path.Combine(Path.GetTempPath(), "hosting-" + Guid.NewGuid().ToString("N"));
        await using var cluster = EmbeddedKafkaCluster.Start(1);
        var changelog = Runtime.Topology.ChangelogTopic(CurationOptions.DefaultApplicationId, CurationOptions.DedupStore("elb"));
        foreach (var topic in new[] { "raw.elb", "curated.elb", "dlq.topology", Runtime.Topology.PositionsTopic(CurationOptions.DefaultApplicationId), changelog })
        {
            cluster.CreateTopic(topic, 1, 1);
        }

        FillChangelog(cluster, changelog);

        // Small fetches over a link with a little latency: restoring takes a few seconds, long enough to be seen.
        cluster.SetBrokerRtt(1, 10);
        await using var service = TopologyService.Create(
            new Dictionary<string, string>
            {
                ["bootstrap.servers"] = cluster.BootstrapServers,
                ["schema.registry.url"] = "mock://" + scope,
                ["state.dir"] = stateDir,
                ["curation.sources"] = "elb",
                ["partition.assignment.strategy"] = "range",
                ["http.port"] = "0",
                ["consumer.max.partition.fetch.bytes"] = "16384",
            },
            NullLoggerFactory.Instance);
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{service.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };

        // An empty first assignment is "ready" with nothing to do, as in Kafka Streams: wait for the task itself.
        var statuses = new List<(HttpStatusCode Code, string Status)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var settled = false;
        var threads = new List<string>();
        while (!settled && DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(ServiceEndpoint.ReadyPath);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            statuses.Add((response.StatusCode, body.RootElement.GetProperty("status").GetString()!));
            settled = response.StatusCode == HttpStatusCode.OK && body.RootElement.GetProperty("activeTasks").GetInt32() == 1;
            threads = [.. body.RootElement.GetProperty("threads").EnumerateArray().Select(t => t.GetString()!)];
            await Task.Delay(5);
        }

        Assert.That(threads, Has.Count.EqualTo(1).And.One.Contains("assignment yes (1 partitions)"), "the readiness body describes each stream thread");

        var restored = Value(await ScrapeAsync(http), "streams_restored_records_total", $"changelog=\"{changelog}\"");
        Assert.That(statuses, Does.Contain((HttpStatusCode.ServiceUnavailable, "restoring")), $"not ready while the store restores ({restored} records restored, {statuses.Count} looks): " + string.Join(", ", statuses.Distinct()));
        Assert.That(statuses[^1], Is.EqualTo((HttpStatusCode.OK, "ready")));
        Assert.That(statuses.Where(s => s.Status == "restoring"), Has.All.Matches<(HttpStatusCode Code, string)>(s => s.Code == HttpStatusCode.ServiceUnavailable));
        using (var live = await http.GetAsync(ServiceEndpoint.LivePath))
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var before = await ScrapeAsync(http);
        Assert.That(Value(before, "streams_restored_records_total", $"changelog=\"{changelog}\""), Is.EqualTo(ChangelogRecords));
        Assert.That(Value(before, "curation_records_read_total", "source=\"elb\""), Is.Null, "nothing read yet");

        var lines = ElbLines();
        Produce(cluster, registry, lines);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string after;
        do
        {
            await Task.Delay(100);
            after = await ScrapeAsync(http);
        }
        while (DateTime.UtcNow < deadline && Value(after, "streams_consumer_lag", "topic=\"raw.elb\",partition=\"0\"") != 0);

        Assert.That(Value(after, "curation_records_read_total", "source=\"elb\""), Is.EqualTo(lines.Count));
        Assert.That(Value(after, "curation_records_curated_total", "source=\"elb\"") + (Value(after, "curation_records_dead_lettered_total", "source=\"elb\"") ?? 0) + (Value(after, "curation_duplicates_dropped_total", "source=\"elb\"") ?? 0), Is.EqualTo(lines.Count));
        Assert.That(Value(after, "streams_consumer_lag", "topic=\"raw.elb\",partition=\"0\""), Is.Zero, "the committed position reached the end of raw.elb");
        Assert.That(Value(after, "streams_commit_latency_seconds_count", null), Is.GreaterThan(0));
        Assert.That(Value(after, "streams_store_entries", "store=\"dedup-elb\",task=\"0_0\""), Is.GreaterThanOrEqualTo(ChangelogRecords / 2), "the store holds the restored window");
        Assert.That(Value(after, "streams_ready", null), Is.EqualTo(1));
        Assert.That(Value(after, "curation_geo_cache_hit_ratio", null), Is.Zero, "no GeoIP database configured");
    }

    /// <summary>The value of a sample, or null when the sample is absent.</summary>
    private static double? Value(string exposition, string name, string? labels)
    {
        var pattern = "^" + Regex.Escape(name) + (labels is null ? string.Empty : Regex.Escape("{" + labels + "}")) + " (\\S+)$";
        var match = Regex.Match(exposition, pattern, RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(ServiceEndpoint.MetricsPath);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Window-store changelog records (key bytes then the big-endian timestamp) as an earlier run would have left them.</summary>
    private static void FillChangelog(EmbeddedKafkaCluster cluster, string changelog)
    {
        // Batches no larger than a restore fetch: a fetch returns at least one whole batch, so large batches (a loaded
        // machine makes them) would let the restore finish between two looks at the endpoint.
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20, BatchSize = 16384 }).Build();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < ChangelogRecords; i++)
        {
            var key = new byte[24];
            BinaryPrimitives.WriteInt64BigEndian(key, i);
            BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(16), now + i);
            producer.Produce(changelog, new Message<byte[], byte[]> { Key = key, Value = [1] });
        }

        Assert.That(producer.Flush(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    private static List<NativeRecord> ElbLines()
    {
        const string Line = "http {0} app/my-loadbalancer/50dc6c495c0c9188 203.0.113.{1}:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/item/{1} HTTP/1.1\" \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\"";
        var start = new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);
        var text = string.Join('\n', Enumerable.Range(1, 40).Select(i => string.Format(CultureInfo.InvariantCulture, Line, start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), i)));
        return NativeText.Read("elb", text, "bucket/AWSLogs/elb.log", start).ToList();
    }

    private static void Produce(EmbeddedKafkaCluster cluster, ISchemaRegistryClient registry, List<NativeRecord> records)
    {
        using var producer = new ProducerBuilder<string, ElbRaw>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<ElbRaw>(registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync())
            .Build();
        foreach (var r in records)
        {
            producer.Produce(r.Topic, new Message<string, ElbRaw> { Key = r.Key, Value = (ElbRaw)r.Raw });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
