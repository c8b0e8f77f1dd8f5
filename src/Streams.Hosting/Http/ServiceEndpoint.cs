using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Hosting.Metrics;

namespace Streams.Hosting.Http;

/// <summary>
/// The small HTTP server every service runs beside its work (Kestrel): <see cref="LivePath"/> and
/// <see cref="ReadyPath"/> answer 200 or 503 with a JSON report, <see cref="MetricsPath"/> the Prometheus text.
/// </summary>
public sealed class ServiceEndpoint : IAsyncDisposable
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    private readonly WebApplication _app;

    private ServiceEndpoint(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port bound (the one asked for, or the one the system chose for 0).</summary>
    public int Port { get; }

    /// <summary>Listens on every interface at <paramref name="port"/> (0: any free port).</summary>
    public static async Task<ServiceEndpoint> StartAsync(int port, IServiceHealth health, MetricsRegistry metrics, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        var app = builder.Build();
        app.MapGet(LivePath, context => WriteAsync(context, health.Live()));
        app.MapGet(ReadyPath, context => WriteAsync(context, health.Ready()));
        app.MapGet(MetricsPath, context =>
        {
            context.Response.ContentType = MetricsRegistry.ContentType;
            return context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceEndpoint(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>(report.Details) { ["status"] = report.Status };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
