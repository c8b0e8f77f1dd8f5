using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Streams.Connectors.Elasticsearch;

/// <summary>A status code and body from Elasticsearch.</summary>
public sealed record ElasticsearchResponse(int StatusCode, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// The low-level REST layer: one pooled HttpClient, authentication, an optional private CA, gzip request bodies.
/// It does not retry; callers decide what is transient (see <see cref="IsTransient"/>).
/// </summary>
public sealed class ElasticsearchHttpClient : IDisposable
{
    public const string NdjsonContentType = "application/x-ndjson";
    public const string JsonContentType = "application/json";

    private readonly HttpClient _http;
    private readonly string[] _nodes;
    private readonly bool _compress;
    private readonly X509Certificate2? _ca;
    private int _next = -1;

    public ElasticsearchHttpClient(ElasticsearchOptions options)
    {
        options.Validate();
        _nodes = options.Urls.Select(u => u.ToString().TrimEnd('/') + "/").ToArray();
        _compress = options.CompressRequests;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip,
        };
        if (options.CaCertificatePath is not null)
        {
            _ca = X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateAgainstCa };
        }

        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        if (options.ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", options.ApiKey);
        }
        else if (options.Username is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    /// <summary>Connection failures and timeouts: worth another try. Cancellation by the caller is not.</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException => true,
        IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    public async Task<ElasticsearchResponse> SendAsync(
        HttpMethod method, string path, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        // Round-robin over the configured nodes, so a dead node costs one retry rather than all of them.
        var node = _nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)_nodes.Length)];
        using var request = new HttpRequestMessage(method, new Uri(node + path.TrimStart('/')));
        if (!body.IsEmpty)
        {
            request.Content = _compress ? Gzip(body, contentType) : Plain(body, contentType);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new ElasticsearchResponse((int)response.StatusCode, bytes);
    }

    public Task<ElasticsearchResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, ReadOnlyMemory<byte>.Empty, JsonContentType, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _ca?.Dispose();
    }

    private static ByteArrayContent Plain(ReadOnlyMemory<byte> body, string contentType)
    {
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static ByteArrayContent Gzip(ReadOnlyMemory<byte> body, string contentType)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body.Span);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    // A name mismatch is never forgiven; an untrusted chain is accepted only if it builds to the configured CA.
    private bool ValidateAgainstCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || _ca is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        return ChainsTo(certificate, _ca, chain);
    }

    internal static bool ChainsTo(X509Certificate certificate, X509Certificate2 ca, X509Chain? presented)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 presentedLeaf)
        {
            return custom.Build(presentedLeaf);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
