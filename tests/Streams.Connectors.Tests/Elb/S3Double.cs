using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Streams.Connectors.Tests.Elb;

/// <summary>
/// A test double of Amazon S3 with path-style addressing, following the documented REST API of
/// <c>ListObjectsV2</c> (<c>GET /&lt;bucket&gt;?list-type=2</c> with <c>prefix</c>, <c>delimiter</c>, <c>start-after</c>,
/// <c>continuation-token</c>, <c>max-keys</c>, <c>encoding-type=url</c>; a <c>ListBucketResult</c> with <c>IsTruncated</c>,
/// <c>NextContinuationToken</c>, <c>KeyCount</c>, <c>Contents</c> (<c>Key</c>, <c>LastModified</c>, <c>ETag</c>, <c>Size</c>,
/// <c>StorageClass</c>) and <c>CommonPrefixes</c>) and <c>GetObject</c> (<c>GET /&lt;bucket&gt;/&lt;key&gt;</c>; 404 <c>NoSuchKey</c>
/// and <c>NoSuchBucket</c> error documents). Keys are kept in memory in UTF-8 binary order. Signatures are not checked,
/// only that a request is signed (SigV4 <c>Authorization</c> header).
/// </summary>
public sealed class S3Double : IAsyncDisposable
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, (byte[] Bytes, DateTime Modified)>> _buckets = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];

    private S3Double(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request as "METHOD path?query", oldest first.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<S3Double> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var double_ = new S3Double(app);
        app.Run(double_.HandleAsync);
        await app.StartAsync();
        var port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).First();
        double_.Url = new Uri($"http://127.0.0.1:{port}");
        return double_;
    }

    public void CreateBucket(string bucket)
    {
        lock (_gate)
        {
            _buckets.TryAdd(bucket, new SortedDictionary<string, (byte[], DateTime)>(StringComparer.Ordinal));
        }
    }

    public void Put(string bucket, string key, byte[] bytes)
    {
        lock (_gate)
        {
            _buckets[bucket][key] = (bytes, DateTime.UtcNow);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        lock (_gate)
        {
            _requests.Add(request.Method + " " + request.Path.Value + request.QueryString.Value);
        }

        if (!request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 403, "AccessDenied", "Access Denied", null);
            return;
        }

        var path = request.Path.Value!.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var key = slash < 0 ? string.Empty : Uri.UnescapeDataString(path[(slash + 1)..]);
        SortedDictionary<string, (byte[] Bytes, DateTime Modified)>? objects;
        lock (_gate)
        {
            objects = _buckets.GetValueOrDefault(bucket);
        }

        if (objects is null)
        {
            await ErrorAsync(context, 404, "NoSuchBucket", "The specified bucket does not exist", null);
        }
        else if (request.Method == "GET" && key.Length == 0 && request.Query["list-type"] == "2")
        {
            await ListObjectsV2Async(context, bucket, objects);
        }
        else if (request.Method == "GET" && key.Length > 0)
        {
            await GetObjectAsync(context, key, objects);
        }
        else
        {
            await ErrorAsync(context, 501, "NotImplemented", "This double implements ListObjectsV2 and GetObject only", null);
        }
    }

    private async Task ListObjectsV2Async(HttpContext context, string bucket, SortedDictionary<string, (byte[] Bytes, DateTime Modified)> objects)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var startAfter = query["start-after"].ToString();
        var token = query["continuation-token"].ToString();
        var maxKeys = int.TryParse(query["max-keys"], CultureInfo.InvariantCulture, out var m) ? Math.Min(m, 1000) : 1000;
        var urlEncoded = query["encoding-type"] == "url";

        // The token is opaque to clients; here it is the last key or common prefix of the page before.
        var after = token.Length > 0 ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : startAfter;
        List<(string Key, byte[] Bytes, DateTime Modified)> snapshot;
        lock (_gate)
        {
            snapshot = objects.Select(o => (o.Key, o.Value.Bytes, o.Value.Modified)).ToList();
        }

        var items = new List<(string Name, bool IsPrefix, byte[]? Bytes, DateTime Modified)>();
        var truncated = false;
        foreach (var (key, bytes, modified) in snapshot)
        {
            var underPreviousPrefix = delimiter.Length > 0 && after.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(after, StringComparison.Ordinal);
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || string.CompareOrdinal(key, after) <= 0 || underPreviousPrefix)
            {
                continue;
            }

            var cut = delimiter.Length > 0 ? key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) : -1;
            var item = cut < 0 ? (key, false, bytes, modified) : (key[..(cut + delimiter.Length)], true, (byte[]?)null, modified);
            if (item.Item2 && items.Count > 0 && items[^1].Name == item.Item1)
            {
                continue;
            }

            if (items.Count == maxKeys)
            {
                truncated = true;
                break;
            }

            items.Add(item);
        }

        string Encode(string s) => urlEncoded ? Uri.EscapeDataString(s) : s;
        var result = new XElement(
            S3 + "ListBucketResult",
            new XElement(S3 + "Name", bucket),
            new XElement(S3 + "Prefix", Encode(prefix)),
            startAfter.Length > 0 ? new XElement(S3 + "StartAfter", Encode(startAfter)) : null,
            token.Length > 0 ? new XElement(S3 + "ContinuationToken", token) : null,
            new XElement(S3 + "KeyCount", items.Count),
            new XElement(S3 + "MaxKeys", maxKeys),
            delimiter.Length > 0 ? new XElement(S3 + "Delimiter", Encode(delimiter)) : null,
            urlEncoded ? new XElement(S3 + "EncodingType", "url") : null,
            new XElement(S3 + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(S3 + "NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Name))) : null,
            items.Where(i => !i.IsPrefix).Select(i => new XElement(
                S3 + "Contents",
                new XElement(S3 + "Key", Encode(i.Name)),
                new XElement(S3 + "LastModified", i.Modified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(S3 + "ETag", ETag(i.Bytes!)),
                new XElement(S3 + "Size", i.Bytes!.Length),
                new XElement(S3 + "StorageClass", "STANDARD"))),
            items.Where(i => i.IsPrefix).Select(i => new XElement(S3 + "CommonPrefixes", new XElement(S3 + "Prefix", Encode(i.Name)))));
        await XmlAsync(context, 200, result);
    }

    private async Task GetObjectAsync(HttpContext context, string key, SortedDictionary<string, (byte[] Bytes, DateTime Modified)> objects)
    {
        (byte[] Bytes, DateTime Modified) found;
        bool exists;
        lock (_gate)
        {
            exists = objects.TryGetValue(key, out found);
        }

        if (!exists)
        {
            await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.", key);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = found.Bytes.Length;
        context.Response.Headers.ETag = ETag(found.Bytes);
        context.Response.Headers.LastModified = found.Modified.ToString("R", CultureInfo.InvariantCulture);
        context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N");
        await context.Response.Body.WriteAsync(found.Bytes);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, string? key) =>
        XmlAsync(context, status, new XElement(
            "Error",
            new XElement("Code", code),
            new XElement("Message", message),
            key is null ? null : new XElement("Key", key),
            new XElement("RequestId", Guid.NewGuid().ToString("N"))));

    private static async Task XmlAsync(HttpContext context, int status, XElement body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N");
        await context.Response.WriteAsync(new XDeclaration("1.0", "UTF-8", null) + body.ToString(SaveOptions.DisableFormatting));
    }

#pragma warning disable CA5351 // S3's ETag of an object uploaded in one part is the MD5 of its bytes.
    private static string ETag(byte[] bytes) => "\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"";
#pragma warning restore CA5351
}
