using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streams.Cli.Tests;

/// <summary>
/// A test double of Kibana 8's saved objects import API, as documented: <c>POST /api/saved_objects/_import</c> with
/// the NDJSON as the multipart form field <c>file</c>, the <c>kbn-xsrf</c> header required (400 without it), the
/// <c>overwrite</c> query parameter (without it an existing id is a <c>conflict</c>), and the answer
/// <c>{"success","successCount","successResults"|"errors"}</c>; a reference to an object neither in the file nor stored
/// is a <c>missing_references</c> error. With <see cref="RequiredAuthorization"/> set, other credentials get 401.
/// </summary>
internal sealed class KibanaDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Type, string Id), JsonObject> _objects = [];
    private readonly List<ImportCall> _calls = [];

    private KibanaDouble(WebApplication app) => _app = app;

    public string Url { get; private set; } = null!;

    /// <summary>The exact Authorization header Kibana accepts; null accepts anything.</summary>
    public string? RequiredAuthorization { get; set; }

    public IReadOnlyList<ImportCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public int StoredCount
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    public static async Task<KibanaDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var kibana = new KibanaDouble(app);
        app.MapPost("/api/saved_objects/_import", (HttpRequest request) => kibana.ImportAsync(request));
        await app.StartAsync();
        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).First();
        kibana.Url = $"http://127.0.0.1:{port}";
        return kibana;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ImportAsync(HttpRequest request)
    {
        var call = new ImportCall(
            request.Headers["kbn-xsrf"].ToString(),
            request.Headers.Authorization.ToString(),
            request.Query["overwrite"].ToString(),
            request.ContentType ?? string.Empty,
            [],
            string.Empty);
        if (RequiredAuthorization is not null && call.Authorization != RequiredAuthorization)
        {
            Record(call);
            return Results.Json(new { statusCode = 401, error = "Unauthorized", message = "[security_exception]: unable to authenticate user for REST request [/_security/_authenticate]" }, statusCode: 401);
        }

        if (call.Xsrf.Length == 0)
        {
            Record(call);
            return Results.Json(new { statusCode = 400, error = "Bad Request", message = "Request must contain a kbn-xsrf header." }, statusCode: 400);
        }

        if (!request.HasFormContentType)
        {
            Record(call);
            return Results.Json(new { statusCode = 415, error = "Unsupported Media Type", message = "Unsupported Media Type" }, statusCode: 415);
        }

        var form = await request.ReadFormAsync();
        call = call with { FormFields = [.. form.Files.Select(f => f.Name)] };
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            Record(call);
            return Results.Json(new { statusCode = 400, error = "Bad Request", message = "[request body.file]: expected value of type [Stream] but got [undefined]" }, statusCode: 400);
        }

        string text;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync();
        }

        Record(call with { FileName = file.FileName });
        var imported = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())
            .Where(o => o.ContainsKey("type") && o.ContainsKey("id"))
            .ToList();
        var overwrite = string.Equals(call.Overwrite, "true", StringComparison.OrdinalIgnoreCase);
        var errors = new JsonArray();
        var results = new JsonArray();
        lock (_gate)
        {
            var known = imported.Select(Key).Concat(_objects.Keys).ToHashSet();
            foreach (var o in imported)
            {
                var key = Key(o);
                var meta = new JsonObject { ["title"] = o["attributes"]?["title"]?.DeepClone() };
                var missing = o["references"]?.AsArray().Select(r => (Type: r!["type"]!.GetValue<string>(), Id: r["id"]!.GetValue<string>()))
                    .Where(r => !known.Contains(r)).ToList() ?? [];
                if (missing.Count > 0)
                {
                    errors.Add(new JsonObject
                    {
                        ["id"] = key.Id,
                        ["type"] = key.Type,
                        ["meta"] = meta,
                        ["error"] = new JsonObject
                        {
                            ["type"] = "missing_references",
                            ["references"] = new JsonArray([.. missing.Select(m => (JsonNode)new JsonObject { ["type"] = m.Type, ["id"] = m.Id })]),
                        },
                    });
                }
                else if (_objects.ContainsKey(key) && !overwrite)
                {
                    errors.Add(new JsonObject { ["id"] = key.Id, ["type"] = key.Type, ["meta"] = meta, ["error"] = new JsonObject { ["type"] = "conflict" } });
                }
                else
                {
                    _objects[key] = o;
                    results.Add(new JsonObject { ["type"] = key.Type, ["id"] = key.Id, ["meta"] = meta });
                }
            }
        }

        var answer = new JsonObject { ["success"] = errors.Count == 0, ["successCount"] = results.Count };
        answer[errors.Count == 0 ? "successResults" : "errors"] = errors.Count == 0 ? results : errors;
        return Results.Text(answer.ToJsonString(), "application/json");
    }

    private static (string Type, string Id) Key(JsonObject o) => (o["type"]!.GetValue<string>(), o["id"]!.GetValue<string>());

    private void Record(ImportCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }
}

/// <summary>What one import request carried.</summary>
internal sealed record ImportCall(string Xsrf, string Authorization, string Overwrite, string ContentType, string[] FormFields, string FileName);
