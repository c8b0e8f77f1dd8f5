using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>
/// A test double of Elasticsearch 8, following its documented REST API for <c>POST /_bulk</c> (create actions, the
/// per-item <c>status</c>/<c>error.type</c>/<c>error.reason</c> response), <c>PUT/GET _index_template/&lt;name&gt;</c>,
/// <c>PUT/GET _ilm/policy/&lt;name&gt;</c>, <c>GET /&lt;index&gt;/_doc/&lt;id&gt;</c> and <c>GET _cat/indices?format=json</c>.
/// It keeps documents in memory per index and has scriptable faults: rejected items (429), failed requests (503),
/// a body size limit (413), fields that cause mapping errors (400), slow answers and dropped connections, either
/// scripted one by one or drawn at random from a seeded <see cref="ChaosSettings"/>. It records every request
/// (method and path) in arrival order.
/// </summary>
public sealed class ElasticsearchDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonNode?>> _indices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _templateExistedAtCreation = new(StringComparer.Ordinal);
    private readonly List<BulkRequestRecord> _bulkRequests = [];
    private readonly List<string> _requestLog = [];
    private readonly Dictionary<string, int> _faultCounts = new(StringComparer.Ordinal);
    private ChaosSettings? _chaos;
    private Random? _chaosRandom;
    private int _rejectNextItems;
    private int _failNextRequests;
    private int _dropNextRequests;

    private ElasticsearchDouble(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Bodies (after gzip) larger than this get 413 for the whole request.</summary>
    public long MaxRequestBytes { get; set; } = long.MaxValue;

    /// <summary>A document with one of these top-level fields gets item 400 <c>strict_dynamic_mapping_exception</c>.</summary>
    public HashSet<string> UnmappedFields { get; } = new(StringComparer.Ordinal);

    /// <summary>A document with one of these top-level fields gets item 400 <c>document_parsing_exception</c>.</summary>
    public HashSet<string> UnparseableFields { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, <c>PUT _index_template</c> answers 400 <c>mapper_parsing_exception</c> with this reason.</summary>
    public string? RefuseTemplatesBecause { get; set; }

    /// <summary>Added before every bulk answer.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <param name="serverCertificate">Serve HTTPS with this certificate (and its private key) instead of HTTP.</param>
    public static async Task<ElasticsearchDouble> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (serverCertificate is not null)
                {
                    listen.UseHttps(serverCertificate);
                }
            });
        });
        var app = builder.Build();
        var double_ = new ElasticsearchDouble(app);
        double_.Map(app);
        await app.StartAsync();
        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).First();
        double_.Url = new Uri($"{(serverCertificate is null ? "http" : "https")}://127.0.0.1:{port}");
        return double_;
    }

    /// <summary>The next <paramref name="count"/> bulk items, over any requests, answer 429 <c>es_rejected_execution_exception</c>.</summary>
    public void RejectNextItems(int count) => Interlocked.Exchange(ref _rejectNextItems, count);

    /// <summary>The next <paramref name="count"/> bulk requests answer 503 as a whole.</summary>
    public void FailNextRequests(int count) => Interlocked.Exchange(ref _failNextRequests, count);

    /// <summary>The next <paramref name="count"/> bulk requests are aborted without an answer.</summary>
    public void DropNextRequests(int count) => Interlocked.Exchange(ref _dropNextRequests, count);

    public int PendingItemRejections => Volatile.Read(ref _rejectNextItems);

    /// <summary>From now on, faults are drawn at random with <paramref name="settings"/>' rates and seed.</summary>
    public void EnableChaos(ChaosSettings settings)
    {
        lock (_gate)
        {
            _chaos = settings;
            _chaosRandom = new Random(settings.Seed);
        }
    }

    /// <summary>How many of each fault were injected: 429 items, 503/dropped/lost/slow requests, 413 bodies, 409 conflicts.</summary>
    public IReadOnlyDictionary<string, int> FaultCounts
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_faultCounts, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Every request as "METHOD /path", in the order they arrived.</summary>
    public IReadOnlyList<string> RequestLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _requestLog];
            }
        }
    }

    public bool Contains(string index, string id)
    {
        lock (_gate)
        {
            return _indices.TryGetValue(index, out var docs) && docs.ContainsKey(id);
        }
    }

    /// <summary>Every stored document as (index, id).</summary>
    public List<(string Index, string Id)> Documents()
    {
        lock (_gate)
        {
            return _indices.SelectMany(i => i.Value.Keys.Select(id => (i.Key, id))).ToList();
        }
    }

    public IReadOnlyList<BulkRequestRecord> BulkRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _bulkRequests];
            }
        }
    }

    public int DocumentCount(string index)
    {
        lock (_gate)
        {
            return _indices.TryGetValue(index, out var docs) ? docs.Count : 0;
        }
    }

    public int TotalDocuments
    {
        get
        {
            lock (_gate)
            {
                return _indices.Values.Sum(d => d.Count);
            }
        }
    }

    public JsonNode? Template(string name)
    {
        lock (_gate)
        {
            return _templates.GetValueOrDefault(name)?.DeepClone();
        }
    }

    public JsonNode? Policy(string name)
    {
        lock (_gate)
        {
            return _policies.GetValueOrDefault(name)?.DeepClone();
        }
    }

    /// <summary>Whether a template matching the index existed when its first document arrived; null if it never did.</summary>
    public bool? TemplateExistedWhenCreated(string index)
    {
        lock (_gate)
        {
            return _templateExistedAtCreation.TryGetValue(index, out var existed) ? existed : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            lock (_gate)
            {
                _requestLog.Add($"{context.Request.Method} {context.Request.Path}");
            }

            await next(context);
        });
        app.MapPost("/_bulk", BulkAsync);
        app.MapPut("/_index_template/{name}", async (string name, HttpRequest request) => RefuseTemplatesBecause is { } reason
            ? Results.Json(new { error = new { type = "mapper_parsing_exception", reason }, status = 400 }, statusCode: 400)
            : Store(_templates, name, await ReadJsonAsync(request)));
        app.MapGet("/_index_template/{name}", (string name) => Find(_templates, name, n => new JsonObject
        {
            ["index_templates"] = new JsonArray(new JsonObject { ["name"] = name, ["index_template"] = n }),
        }));
        app.MapPut("/_ilm/policy/{name}", async (string name, HttpRequest request) => Store(_policies, name, await ReadJsonAsync(request)));
        app.MapGet("/_ilm/policy/{name}", (string name) => Find(_policies, name, n => new JsonObject { [name] = n }));
        app.MapGet("/{index}/_doc/{id}", GetDocument);
        app.MapGet("/_cat/indices", CatIndices);
    }

    private IResult Store(Dictionary<string, JsonNode?> store, string name, JsonNode? body)
    {
        lock (_gate)
        {
            store[name] = body;
        }

        return Results.Json(new { acknowledged = true });
    }

    private IResult Find(Dictionary<string, JsonNode?> store, string name, Func<JsonNode?, JsonNode> shape)
    {
        lock (_gate)
        {
            return store.TryGetValue(name, out var node)
                ? Results.Text(shape(node?.DeepClone()).ToJsonString(), "application/json")
                : Results.Json(new { error = new { type = "resource_not_found_exception", reason = name + " not found" }, status = 404 }, statusCode: 404);
        }
    }

    private IResult GetDocument(string index, string id)
    {
        lock (_gate)
        {
            if (_indices.TryGetValue(index, out var docs) && docs.TryGetValue(id, out var source))
            {
                var found = new JsonObject { ["_index"] = index, ["_id"] = id, ["found"] = true, ["_source"] = source?.DeepClone() };
                return Results.Text(found.ToJsonString(), "application/json");
            }

            return Results.Json(new { _index = index, _id = id, found = false }, statusCode: 404);
        }
    }

    private IResult CatIndices()
    {
        lock (_gate)
        {
            var rows = _indices.Select(i => new Dictionary<string, string> { ["index"] = i.Key, ["docs.count"] = i.Value.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return Results.Json(rows.ToList());
        }
    }

    private async Task BulkAsync(HttpContext context)
    {
        var raw = await ReadBodyAsync(context.Request);
        var record = new BulkRequestRecord(
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers.ContentEncoding.ToString(),
            context.Request.ContentType ?? string.Empty,
            raw.Length,
            0);
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        if (Draw(c => c.SlowRate, "slow"))
        {
            await Task.Delay(_chaos!.SlowDelay, context.RequestAborted);
        }

        if (TakeOne(ref _dropNextRequests) || Draw(c => c.DropRate, "dropped"))
        {
            Record(record);
            context.Abort();
            return;
        }

        if (TakeOne(ref _failNextRequests) || Draw(c => c.UnavailableRate, "503"))
        {
            Record(record);
            await Error(context, 503, "unavailable_shards_exception", "the double was told to fail this request");
            return;
        }

        if (raw.Length > MaxRequestBytes)
        {
            // Elasticsearch answers an oversized body with a bare 413 and no JSON error.
            Record(record);
            Count("413");
            context.Response.StatusCode = 413;
            return;
        }

        var lines = Encoding.UTF8.GetString(raw).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new JsonArray();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!["create"]!;
            items.Add(new JsonObject { ["create"] = Create(action["_index"]!.GetValue<string>(), action["_id"]!.GetValue<string>(), lines[i + 1]) });
        }

        Record(record with { Items = items.Count });
        if (Draw(c => c.LoseResponseRate, "response lost"))
        {
            // Indexed, but the answer never arrives: the client's retry meets 409s.
            context.Abort();
            return;
        }

        var errors = items.Any(item => item!["create"]!["status"]!.GetValue<int>() >= 300);
        var response = new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString());
    }

    private JsonObject Create(string index, string id, string documentLine)
    {
        if (TakeOne(ref _rejectNextItems) || Draw(c => c.ItemRejectRate, "429"))
        {
            return ItemError(index, id, 429, "es_rejected_execution_exception", "rejected execution of coordinating operation");
        }

        JsonObject document;
        try
        {
            document = JsonNode.Parse(documentLine)!.AsObject();
        }
        catch (JsonException ex)
        {
            return ItemError(index, id, 400, "document_parsing_exception", "failed to parse: " + ex.Message);
        }

        if (document.Select(p => p.Key).FirstOrDefault(UnmappedFields.Contains) is { } unmapped)
        {
            return ItemError(index, id, 400, "strict_dynamic_mapping_exception", $"[1:2] mapping set to strict, dynamic introduction of [{unmapped}] within [_doc] is not allowed");
        }

        if (document.Select(p => p.Key).FirstOrDefault(UnparseableFields.Contains) is { } unparseable)
        {
            return ItemError(index, id, 400, "document_parsing_exception", $"[1:2] failed to parse field [{unparseable}] of type [long] in document with id '{id}'");
        }

        lock (_gate)
        {
            if (!_indices.TryGetValue(index, out var docs))
            {
                docs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                _indices[index] = docs;
                _templateExistedAtCreation[index] = _templates.Values.Any(t => Matches(t, index));
            }

            if (docs.ContainsKey(id))
            {
                Count("409");
                return ItemError(index, id, 409, "version_conflict_engine_exception", $"[{id}]: version conflict, document already exists (current version [1])");
            }

            docs[id] = document;
        }

        return new JsonObject { ["_index"] = index, ["_id"] = id, ["_version"] = 1, ["result"] = "created", ["status"] = 201 };
    }

    private bool Draw(Func<ChaosSettings, double> rate, string fault)
    {
        lock (_gate)
        {
            if (_chaos is null || _chaosRandom!.NextDouble() >= rate(_chaos))
            {
                return false;
            }

            Count(fault);
            return true;
        }
    }

    private void Count(string fault)
    {
        lock (_gate)
        {
            _faultCounts[fault] = _faultCounts.GetValueOrDefault(fault) + 1;
        }
    }

    private static bool Matches(JsonNode? template, string index) =>
        template?["index_patterns"]?.AsArray().Any(p => p?.GetValue<string>() is { } pattern
            && (pattern.EndsWith('*') ? index.StartsWith(pattern[..^1], StringComparison.Ordinal) : index == pattern)) == true;

    private static JsonObject ItemError(string index, string id, int status, string type, string reason) => new()
    {
        ["_index"] = index,
        ["_id"] = id,
        ["status"] = status,
        ["error"] = new JsonObject { ["type"] = type, ["reason"] = reason },
    };

    private static async Task Error(HttpContext context, int status, string type, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["reason"] = reason }, ["status"] = status };
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private void Record(BulkRequestRecord record)
    {
        lock (_gate)
        {
            _bulkRequests.Add(record);
        }
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpRequest request) => JsonNode.Parse(await ReadBodyAsync(request));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer);
        }
        else
        {
            await request.Body.CopyToAsync(buffer);
        }

        return buffer.ToArray();
    }
}

/// <summary>What one <c>_bulk</c> request looked like on the wire.</summary>
public sealed record BulkRequestRecord(string Authorization, string ContentEncoding, string ContentType, long DecompressedBytes, int Items);

/// <summary>
/// Rates (0..1) of faults drawn per bulk request (503, dropped before indexing, lost after indexing, slow) and per item
/// (429), from one <see cref="Random"/> seeded with <paramref name="Seed"/>.
/// </summary>
public sealed record ChaosSettings(
    int Seed,
    double ItemRejectRate = 0,
    double UnavailableRate = 0,
    double DropRate = 0,
    double LoseResponseRate = 0,
    double SlowRate = 0)
{
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
