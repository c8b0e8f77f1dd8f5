using System.CommandLine;
using Streams.Hosting;
using Streams.Hosting.Http;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams health [--url URL] [--timeout-ms N]</c>: the container's health probe (Docker HEALTHCHECK, ECS
/// healthCheck), so the image needs no curl. Exit 0 when the endpoint answers 200, 1 otherwise.
/// </summary>
internal static class HealthCommand
{
    public const string DefaultUrl = "http://localhost:8080/health/live";

    public static Command Build()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The endpoint to probe (default {DefaultUrl}; {ServiceEndpoint.ReadyPath} for readiness)",
            DefaultValueFactory = _ => DefaultUrl,
        };
        url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError("--url must be an absolute http:// or https:// URL");
            }
        });
        var timeout = new Option<int>("--timeout-ms") { Description = "Give up after this many milliseconds", DefaultValueFactory = _ => 3000 };
        var command = new Command("health", $"Probe a running service's health endpoint (port {ServiceOptions.DefaultHttpPort} unless {ServiceOptions.HttpPortKey} says otherwise)") { url, timeout };
        command.SetAction(async (parse, cancel) =>
        {
            var target = new Uri(parse.GetValue(url)!);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(Math.Max(1, parse.GetValue(timeout))) };
                using var response = await http.GetAsync(target, cancel);
                var body = await response.Content.ReadAsStringAsync(cancel);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{(int)response.StatusCode} {body}");
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"streams health: {target}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
