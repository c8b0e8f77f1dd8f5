using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Streams.Hosting.Http;
using Streams.Runtime.Embedded;

namespace Streams.Hosting.Tests;

/// <summary><c>streams connect</c>'s service on the embedded cluster: ready while it runs, and /metrics counts what it commits.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConnectServiceTests
{
    [Test]
    public async Task Ready_while_running_and_committed_records_show_in_the_metrics()
    {
        var logs = Directory.CreateTempSubdirectory("connect-service-").FullName;
        var entries = Enumerable.Range(0, 25).Select(i => $"[2026-11-25 10:00:{i:00}] production.INFO: entry {i}").ToList();
        await File.WriteAllLinesAsync(Path.Combine(logs, "laravel.log"), entries);
        await using var cluster = EmbeddedKafkaCluster.Start(1);
        cluster.CreateTopic("raw.laravel", 1, 1);
        cluster.CreateTopic("_streams.connect.offsets", 1, 1);
        await using var service = ConnectService.Create(
            "laravel",
            new Dictionary<string, string>
            {
                ["bootstrap.servers"] = cluster.BootstrapServers,
                ["schema.registry.url"] = "mock://connect-service-" + Guid.NewGuid().ToString("N"),
                ["laravel.path"] = Path.Combine(logs, "laravel*.log"),
                ["laravel.idle.flush.ms"] = "50",
                ["poll.interval.ms"] = "20",
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
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string metrics;
        do
        {
            await Task.Delay(50);
            metrics = await http.GetStringAsync(ServiceEndpoint.MetricsPath);
        }
        while (ServiceProbe.Value(metrics, "connect_records_committed_total") < entries.Count && DateTime.UtcNow < deadline);

        Assert.That(ServiceProbe.Value(metrics, "connect_records_committed_total"), Is.EqualTo(entries.Count));
        Assert.That(ServiceProbe.Value(metrics, "connect_dead_letters_committed_total"), Is.Zero);
        using (var ready = await http.GetAsync(ServiceEndpoint.ReadyPath))
        using (var live = await http.GetAsync(ServiceEndpoint.LivePath))
        {
            Assert.That((ready.StatusCode, live.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        }

        await stop.CancelAsync();
        await run;
        using var afterStop = await http.GetAsync(ServiceEndpoint.ReadyPath);
        Assert.That(afterStop.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready once stopped");
        Directory.Delete(logs, recursive: true);
    }
}
