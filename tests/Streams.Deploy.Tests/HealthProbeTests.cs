using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Streams.Cli;
using Streams.Hosting.Http;
using Streams.Hosting.Metrics;

namespace Streams.Deploy.Tests;

/// <summary>
/// <c>streams health</c>, the probe the image and the task definitions use, against the real endpoint (Kestrel on
/// a free port). The service behind it is a fixed answer: what is probed here is the probe, not a service.
/// </summary>
[TestFixture]
public sealed class HealthProbeTests
{
    [Test]
    public async Task The_probe_exits_0_on_200_and_1_on_503_or_no_answer()
    {
        await using var endpoint = await ServiceEndpoint.StartAsync(0, new FixedHealth(), new MetricsRegistry(), NullLoggerFactory.Instance);
        var baseUrl = $"http://localhost:{endpoint.Port}";
        Assert.That(await ProbeAsync(baseUrl + ServiceEndpoint.LivePath), Is.Zero, "live answers 200");
        Assert.That(await ProbeAsync(baseUrl + ServiceEndpoint.ReadyPath), Is.EqualTo(1), "not ready answers 503");
        Assert.That(await ProbeAsync("http://localhost:1" + ServiceEndpoint.LivePath), Is.EqualTo(1), "nothing listening");
        Assert.That(await ProbeAsync("not-a-url"), Is.Not.Zero, "a malformed URL is a usage error");
    }

    private static async Task<int> ProbeAsync(string url)
    {
        var output = new StringWriter();
        var parse = StreamsCommand.Build().Parse(["health", "--url", url, "--timeout-ms", "2000"]);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
    }

    private sealed class FixedHealth : IServiceHealth
    {
        public HealthReport Live() => new(true, "live", new Dictionary<string, object>());

        public HealthReport Ready() => new(false, "restoring", new Dictionary<string, object> { ["restoringTasks"] = 1 });
    }
}
