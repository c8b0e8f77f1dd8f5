using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

[TestFixture]
public sealed class ElasticsearchHttpClientTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("es-tls-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_server_certificate_issued_by_the_configured_ca_is_trusted()
    {
        using var ca = CreateCa("Streams Test CA");
        using var server = CreateServerCertificate(ca);
        await using var es = await ElasticsearchDouble.StartAsync(server);
        var caPath = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem());
        using var http = new ElasticsearchHttpClient(new ElasticsearchOptions { Urls = [es.Url], CaCertificatePath = caPath });

        var response = await http.SendAsync(HttpMethod.Put, "_ilm/policy/p", Encoding.UTF8.GetBytes("""{"policy":{}}"""), ElasticsearchHttpClient.JsonContentType, CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_server_certificate_from_another_ca_is_refused()
    {
        using var ca = CreateCa("Streams Test CA");
        using var otherCa = CreateCa("Someone Else");
        using var server = CreateServerCertificate(otherCa);
        await using var es = await ElasticsearchDouble.StartAsync(server);
        var caPath = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem());
        using var http = new ElasticsearchHttpClient(new ElasticsearchOptions { Urls = [es.Url], CaCertificatePath = caPath });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("_ilm/policy/p", CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(error!.InnerException, Is.InstanceOf<System.Security.Authentication.AuthenticationException>());
            Assert.That(ElasticsearchHttpClient.IsTransient(error, CancellationToken.None), Is.True, "a TLS failure is retried, as an operator may be rotating certificates");
        });
    }

    [Test]
    public async Task A_written_document_can_be_read_back_and_its_index_is_listed()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var options = TestTargets.OptionsFor(es);
        using var http = new ElasticsearchHttpClient(options);
        await using (var indexer = new BulkIndexer(http, options))
        {
            await indexer.AddAsync(TestTargets.Doc("a", """{"message":"hi"}"""), CancellationToken.None);
            await TestTargets.ResultsAsync(indexer, 1);
        }

        var document = JsonNode.Parse((await http.GetAsync("curated-nginx-2026.11.26/_doc/a", CancellationToken.None)).Body)!;
        var indices = JsonNode.Parse((await http.GetAsync("_cat/indices?format=json", CancellationToken.None)).Body)!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(document["found"]!.GetValue<bool>(), Is.True);
            Assert.That(document["_source"]!["message"]!.GetValue<string>(), Is.EqualTo("hi"));
            Assert.That(indices.Select(i => i!["index"]!.GetValue<string>()), Is.EqualTo(new[] { "curated-nginx-2026.11.26" }));
            Assert.That(indices[0]!["docs.count"]!.GetValue<string>(), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task A_node_that_refuses_connections_costs_a_retry_not_the_document()
    {
        await using var es = await ElasticsearchDouble.StartAsync();
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var deadPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = TestTargets.OptionsFor(es);
        var twoNodes = new ElasticsearchOptions
        {
            Urls = [new Uri($"http://127.0.0.1:{deadPort}"), es.Url],
            BulkLinger = options.BulkLinger,
            RetryBackoffInitial = options.RetryBackoffInitial,
            RetryBackoffMax = options.RetryBackoffMax,
        };
        using var http = new ElasticsearchHttpClient(twoNodes);
        await using var indexer = new BulkIndexer(http, twoNodes);

        for (var i = 0; i < 4; i++)
        {
            await indexer.AddAsync(TestTargets.Doc("d" + i), CancellationToken.None);
            await TestTargets.ResultsAsync(indexer, 1);
        }

        Assert.That(es.DocumentCount("curated-nginx-2026.11.26"), Is.EqualTo(4));
    }

    [Test]
    public void A_bulk_response_is_read_item_by_item_in_request_order()
    {
        var body = """
            {"took":30,"errors":true,"items":[
              {"create":{"_index":"i","_id":"1","_version":1,"result":"created","status":201}},
              {"create":{"_index":"i","_id":"2","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[2]: version conflict, document already exists (current version [1])"}}},
              {"create":{"_index":"i","_id":"3","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}
            ]}
            """u8.ToArray();

        var items = BulkResponse.Parse(body, 3);

        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.Status), Is.EqualTo(new[] { 201, 409, 429 }));
            Assert.That(items[1].ErrorType, Is.EqualTo("version_conflict_engine_exception"));
            Assert.That(items[2].ErrorReason, Is.EqualTo("rejected execution"));
            Assert.That(() => BulkResponse.Parse(body, 2), Throws.TypeOf<FormatException>());
            Assert.That(() => BulkResponse.Parse("<html>bad gateway</html>"u8.ToArray(), 1), Throws.TypeOf<FormatException>());
        });
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the server has a persisted, usable private key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
