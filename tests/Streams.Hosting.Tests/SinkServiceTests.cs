using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Streams.Hosting.Http;
using Streams.Runtime.Embedded;

namespace Streams.Hosting.Tests;

/// <summary><c>streams sink</c>'s service on the embedded cluster: ready once it owns its partition, and /metrics counts what flows.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SinkServiceTests
{
    [Test]
    public async Task Ready_once_assigned_and_dead_letters_show_in_the_metrics()
    {
        await using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("curated.elb", 1, 1);
        cluster.CreateTopic("dlq.sink", 1, 1);
        var output = Path.Combine(Path.GetTempPath(), "sink-service-" + Guid.NewGuid().ToString("N"));
        await using var service = SinkService.Create(
            new Dictionary<string, string>
            {
                ["bootstrap.servers"] = cluster.BootstrapServers,
                ["schema.registry.url"] = "mock://sink-service-" + Guid.NewGuid().ToString("N"),
                ["sink.topics"] = "curated.elb",
                ["sink.target"] = "file",
                ["sink.output.dir"] = output,
                ["sink.commit.interval.ms"] = "200",
                ["http.port"] = "0",
            },
            NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        while (!run.IsCompleted && !ServiceProbe.HasPort(service))
        {
            await Task.Delay(20);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{service.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode ready;
        do
        {
            await Task.Delay(50);
            using var response = await http.GetAsync(ServiceEndpoint.ReadyPath);
            ready = response.StatusCode;
        }
        while (ready != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.That(ready, Is.EqualTo(HttpStatusCode.OK), "ready once the curated partition is assigned");

        // Bytes that are no Avro record: each one is dead-lettered with its reason, and counted.
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 3; i++)
            {
                producer.Produce("curated.elb", new Message<byte[], byte[]> { Key = [1], Value = [0, 1, 2, 3] });
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        }

        string metrics;
        do
        {
            await Task.Delay(100);
            metrics = await http.GetStringAsync(ServiceEndpoint.MetricsPath);
        }
        while ((ServiceProbe.Value(metrics, "sink_records_dead_lettered_total") < 3 || !metrics.Contains("sink_consumer_lag{", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

        Assert.That(ServiceProbe.Value(metrics, "sink_records_dead_lettered_total"), Is.EqualTo(3));
        Assert.That(ServiceProbe.Value(metrics, "sink_assigned_partitions"), Is.EqualTo(1));
        Assert.That(metrics, Does.Contain("sink_consumer_lag{topic=\"curated.elb\",partition=\"0\"}"));
        Assert.That(metrics, Does.Not.Contain("sink_bulk_latency_seconds"), "no bulk requests with the file target");

        await stop.CancelAsync();
        await run;
        using var afterStop = await http.GetAsync(ServiceEndpoint.ReadyPath);
        Assert.That(afterStop.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready once stopped");
        Directory.Delete(output, recursive: true);
    }
}
