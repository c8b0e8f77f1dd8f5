using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Runtime.Tests.SchemaRegistry;

/// <summary>
/// A test double of Confluent Schema Registry following its documented REST API v1, for Avro only and BACKWARD compatibility:
/// <c>POST /subjects/{s}/versions</c> (409/409 incompatible, 422/42201 invalid schema), <c>GET /schemas/ids/{id}</c>,
/// <c>GET /subjects/{s}/versions/latest|{n}</c>, <c>POST /subjects/{s}</c> (lookup), <c>POST /compatibility/subjects/{s}/versions/latest</c>,
/// <c>GET /subjects</c>; 40401 subject not found, 40402 version not found, 40403 schema not found; <c>/associations/...</c> is 404.
/// </summary>
public sealed class SchemaRegistryDouble : IAsyncDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<string> _schemasById = [];
    private readonly SortedDictionary<string, List<int>> _versionsBySubject = new(StringComparer.Ordinal);

    private SchemaRegistryDouble(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<SchemaRegistryDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new SchemaRegistryDouble(app);
        registry.Map(app);
        await app.StartAsync();
        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address).Port).First();
        registry.Url = $"http://127.0.0.1:{port}";
        return registry;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.MapGet("/subjects", () => Json(200, new JsonArray([.. Locked(() => _versionsBySubject.Keys.ToList()).Select(s => (JsonNode)s)])));
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpContext http) => Register(subject, await ReadSchema(http)));
        app.MapPost("/subjects/{subject}", async (string subject, HttpContext http) => Lookup(subject, await ReadSchema(http)));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version) => Version(subject, version));
        app.MapGet("/schemas/ids/{id:int}", (int id) => Locked(() => id >= 1 && id <= _schemasById.Count
            ? Json(200, new JsonObject { ["schema"] = _schemasById[id - 1] })
            : Error(404, 40403, $"Schema {id} not found")));
        app.MapPost("/compatibility/subjects/{subject}/versions/latest", async (string subject, HttpContext http) => Compatibility(subject, await ReadSchema(http)));
        app.Map("/associations/{**rest}", () => Error(404, 404, "HTTP 404 Not Found"));
    }

    private IResult Register(string subject, string? text)
    {
        if (Parse(text) is not { } schema)
        {
            return Error(422, 42201, "Invalid schema");
        }

        lock (_gate)
        {
            var versions = _versionsBySubject.GetValueOrDefault(subject) ?? [];
            if (versions.FirstOrDefault(id => Same(_schemasById[id - 1], schema)) is var existing and > 0)
            {
                return Json(200, new JsonObject { ["id"] = existing });
            }

            if (versions.Count > 0 && SchemaCompatibility.BackwardProblems(schema, Avro.Schema.Parse(_schemasById[versions[^1] - 1])) is { Count: > 0 } problems)
            {
                return Error(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join("; ", problems)}]");
            }

            var id = _schemasById.FindIndex(known => Same(known, schema)) + 1;
            if (id == 0)
            {
                _schemasById.Add(schema.ToString());
                id = _schemasById.Count;
            }

            versions.Add(id);
            _versionsBySubject[subject] = versions;
            return Json(200, new JsonObject { ["id"] = id });
        }
    }

    private IResult Lookup(string subject, string? text)
    {
        if (Parse(text) is not { } schema)
        {
            return Error(422, 42201, "Invalid schema");
        }

        lock (_gate)
        {
            if (!_versionsBySubject.TryGetValue(subject, out var versions))
            {
                return Error(404, 40401, $"Subject '{subject}' not found.");
            }

            var index = versions.FindIndex(id => Same(_schemasById[id - 1], schema));
            return index < 0 ? Error(404, 40403, "Schema not found") : Json(200, Registered(subject, index + 1, versions[index]));
        }
    }

    private IResult Version(string subject, string version) => Locked(() =>
    {
        if (!_versionsBySubject.TryGetValue(subject, out var versions))
        {
            return Error(404, 40401, $"Subject '{subject}' not found.");
        }

        var number = version == "latest" ? versions.Count : int.TryParse(version, out var n) ? n : 0;
        return number >= 1 && number <= versions.Count
            ? Json(200, Registered(subject, number, versions[number - 1]))
            : Error(404, 40402, $"Version {version} not found.");
    });

    private IResult Compatibility(string subject, string? text)
    {
        if (Parse(text) is not { } schema)
        {
            return Error(422, 42201, "Invalid schema");
        }

        lock (_gate)
        {
            if (!_versionsBySubject.TryGetValue(subject, out var versions))
            {
                return Error(404, 40401, $"Subject '{subject}' not found.");
            }

            var problems = SchemaCompatibility.BackwardProblems(schema, Avro.Schema.Parse(_schemasById[versions[^1] - 1]));
            return Json(200, new JsonObject { ["is_compatible"] = problems.Count == 0, ["messages"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]) });
        }
    }

    private JsonObject Registered(string subject, int version, int id) =>
        new() { ["subject"] = subject, ["version"] = version, ["id"] = id, ["schema"] = _schemasById[id - 1] };

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private static async Task<string?> ReadSchema(HttpContext http)
    {
        try
        {
            return (await JsonNode.ParseAsync(http.Request.Body))?["schema"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Avro.Schema? Parse(string? text)
    {
        try
        {
            return text is null ? null : Avro.Schema.Parse(text);
        }
        catch (Avro.AvroException)
        {
            return null;
        }
    }

    private static bool Same(string known, Avro.Schema schema) => known == schema.ToString();

    private static IResult Json(int status, JsonNode body) => Results.Text(body.ToJsonString(), ContentType, statusCode: status);

    private static IResult Error(int status, int code, string message) =>
        Json(status, new JsonObject { ["error_code"] = code, ["message"] = message });
}
