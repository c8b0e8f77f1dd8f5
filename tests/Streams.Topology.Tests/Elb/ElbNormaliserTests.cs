using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Elb;
using Streams.Topology.Normalising;
using Streams.Topology.Tests.Normalising;

namespace Streams.Topology.Tests.Elb;

public sealed class ElbNormaliserTests
{
    private static readonly string[] AlbLines = Corpus.Lines("elb-alb.log");
    private static readonly string[] AlbRealLines = Corpus.Lines("elb-alb-2.log");
    private static readonly string[] ClassicLines = Corpus.Lines("elb-classic.log");
    private static readonly string[] NlbLines = Corpus.Lines("elb-nlb.log");

    private static ElbCurated Normalise(string line) => ElbNormaliser.Normalise(ElbAssert.Parses(line), Contexts.For("my-elb-logs"));

    [Test]
    public void Every_alb_and_classic_line_is_web_access_of_the_aws_elb_dataset()
    {
        // The corpus wss line lacks a space and is refused by the parser on purpose.
        var records = AlbLines.Concat(AlbRealLines).Concat(ClassicLines)
            .Where(line => ElbAccessLogParser.Parse(line).IsSuccess)
            .Select(Normalise)
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(AlbLines.Length + AlbRealLines.Length + ClassicLines.Length - 1));
            Assert.That(records.Select(r => r.@event.dataset), Is.All.EqualTo("aws.elb"));
            Assert.That(records.Select(r => r.@event.module), Is.All.EqualTo("aws"));
            Assert.That(records.Select(r => r.@event.category), Is.All.EqualTo(new[] { "web" }));
            Assert.That(records.Select(r => r.@event.type), Is.All.EqualTo(new[] { "access" }));
            Assert.That(records.Select(r => r.labels["origin"]), Is.All.EqualTo("my-elb-logs"));
        }
    }

    [Test]
    public void Alb_http_line_fills_source_http_url_user_agent_trace_and_summed_duration()
    {
        var record = Normalise(AlbLines[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.timestamp, Is.EqualTo(new DateTime(2018, 7, 2, 22, 23, 0, DateTimeKind.Utc).AddTicks(1866410)));
            Assert.That(record.@event.outcome, Is.EqualTo("success"));
            Assert.That(record.@event.duration, Is.EqualTo(1_000_000L));
            Assert.That(record.source.ip, Is.EqualTo("192.168.131.39"));
            Assert.That(record.source.port, Is.EqualTo(2817));
            Assert.That(record.http.request.method, Is.EqualTo("GET"));
            Assert.That(record.http.request.bytes, Is.EqualTo(34L));
            Assert.That(record.http.response.status_code, Is.EqualTo(200));
            Assert.That(record.http.response.bytes, Is.EqualTo(366L));
            Assert.That(record.http.version, Is.EqualTo("1.1"));
            Assert.That(record.url.original, Is.EqualTo("http://www.example.com:80/"));
            Assert.That(record.url.scheme, Is.EqualTo("http"));
            Assert.That(record.url.domain, Is.EqualTo("www.example.com"));
            Assert.That(record.url.port, Is.EqualTo(80));
            Assert.That(record.url.path, Is.EqualTo("/"));
            Assert.That(record.url.query, Is.Null);
            Assert.That(record.user_agent.original, Is.EqualTo("curl/7.46.0"));
            Assert.That(record.trace.id, Is.EqualTo("1-58337262-36d228ad5d99923122bbe354"));
            Assert.That(record.tls, Is.Null);
            Assert.That(record.aws.elb.kind, Is.EqualTo("application"));
            Assert.That(record.aws.elb.name, Is.EqualTo("app/my-loadbalancer/50dc6c495c0c9188"));
            Assert.That(record.aws.elb.backend_ip, Is.EqualTo("10.0.0.1"));
            Assert.That(record.aws.elb.backend_port, Is.EqualTo(80));
            Assert.That(record.aws.elb.trace_id, Is.EqualTo("Root=1-58337262-36d228ad5d99923122bbe354"));
            Assert.That(record.aws.elb.actions_executed, Is.EqualTo(new[] { "forward" }));
            Assert.That(record.aws.elb.request_creation_time, Is.EqualTo(new DateTime(2018, 7, 2, 22, 22, 48, 364, DateTimeKind.Utc)));
        }
    }

    [Test]
    public void Alb_https_line_fills_tls_and_sums_the_three_processing_times()
    {
        var record = Normalise(AlbLines[1]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.@event.duration, Is.EqualTo(171_000_000L));
            Assert.That(record.tls.version, Is.EqualTo("1.2"));
            Assert.That(record.tls.version_protocol, Is.EqualTo("tls"));
            Assert.That(record.tls.cipher, Is.EqualTo("ECDHE-RSA-AES128-GCM-SHA256"));
            Assert.That(record.tls.client.server_name, Is.EqualTo("www.example.com"));
            Assert.That(record.url.scheme, Is.EqualTo("https"));
            Assert.That(record.url.port, Is.EqualTo(443));
            Assert.That(record.aws.elb.actions_executed, Is.EqualTo(new[] { "authenticate", "forward" }));
            Assert.That(record.aws.elb.chosen_cert_arn, Does.StartWith("arn:aws:acm:"));
            Assert.That(record.aws.elb.matched_rule_priority, Is.EqualTo("1"));
        }
    }

    [Test]
    public void Http2_version_and_an_ip_host_are_read()
    {
        var record = Normalise(AlbLines[2]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.http.version, Is.EqualTo("2.0"));
            Assert.That(record.url.domain, Is.EqualTo("10.0.2.105"));
            Assert.That(record.url.port, Is.EqualTo(773));
            Assert.That(record.aws.elb.redirect_url, Is.EqualTo("https://example.com:80/"));
        }
    }

    [Test]
    public void Status_400_and_above_fails_and_processing_times_of_minus_one_give_no_duration()
    {
        var bad = Normalise(AlbRealLines[0]);
        var gatewayError = Normalise(AlbLines[6]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bad.http.response.status_code, Is.EqualTo(460));
            Assert.That(bad.@event.outcome, Is.EqualTo("failure"));
            Assert.That(bad.@event.duration, Is.Null);
            Assert.That(bad.aws.elb.request_processing_time_sec, Is.Null);
            Assert.That(gatewayError.http.response.status_code, Is.EqualTo(502));
            Assert.That(gatewayError.@event.outcome, Is.EqualTo("failure"));
            Assert.That(gatewayError.aws.elb.backend_ip, Is.Null);
            Assert.That(gatewayError.aws.elb.error_reason, Is.EqualTo("LambdaInvalidResponse"));
        }
    }

    [Test]
    public void Dash_request_gives_no_url_and_no_method_and_a_malformed_url_keeps_only_its_original()
    {
        var dashes = Normalise(AlbLines[8]);
        var malformed = Normalise(AlbLines[7]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dashes.url, Is.Null);
            Assert.That(dashes.http.request.method, Is.Null);
            Assert.That(dashes.http.version, Is.Null);
            Assert.That(dashes.user_agent, Is.Null);
            Assert.That(dashes.trace, Is.Null);
            Assert.That(dashes.http.response.status_code, Is.EqualTo(400));
            Assert.That(malformed.url.original, Is.EqualTo("http://www.example.com:80-"));
            Assert.That(malformed.url.domain, Is.Null);
            Assert.That(malformed.url.port, Is.Null);
            Assert.That(malformed.url.path, Is.Null);
        }
    }

    [Test]
    public void Classic_line_is_a_classic_balancer_with_backend_status_and_microsecond_times()
    {
        var ok = Normalise(ClassicLines[0]);
        var unavailable = Normalise(ClassicLines[1]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ok.aws.elb.kind, Is.EqualTo("classic"));
            Assert.That(ok.aws.elb.name, Is.EqualTo("my-loadbalancer"));
            Assert.That(ok.aws.elb.backend_status_code, Is.EqualTo(200));
            Assert.That(ok.@event.duration, Is.EqualTo(1_178_000L));
            Assert.That(unavailable.http.response.status_code, Is.EqualTo(503));
            Assert.That(unavailable.@event.outcome, Is.EqualTo("failure"));
            Assert.That(unavailable.aws.elb.backend_ip, Is.Null);
        }
    }

    [Test]
    public void Nlb_line_is_an_established_tls_network_connection_without_http()
    {
        var record = Normalise(NlbLines[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.@event.category, Is.EqualTo(new[] { "network" }));
            Assert.That(record.@event.type, Is.EqualTo(new[] { "connection" }));
            Assert.That(record.@event.outcome, Is.EqualTo("success"));
            Assert.That(record.@event.duration, Is.EqualTo(5_000_000L));
            Assert.That(record.http, Is.Null);
            Assert.That(record.url, Is.Null);
            Assert.That(record.source.ip, Is.EqualTo("89.160.20.112"));
            Assert.That(record.source.port, Is.EqualTo(51341));
            Assert.That(record.tls.established, Is.True);
            Assert.That(record.tls.version, Is.EqualTo("1.2"));
            Assert.That(record.tls.cipher, Is.EqualTo("ECDHE-RSA-AES128-SHA"));
            Assert.That(record.tls.client.server_name, Does.StartWith("my-network-loadbalancer-"));
            Assert.That(record.aws.elb.kind, Is.EqualTo("network"));
            Assert.That(record.aws.elb.listener, Is.EqualTo("g3d4b5e8bb8464cd"));
            Assert.That(record.aws.elb.connection_time_ms, Is.EqualTo(5L));
            Assert.That(record.aws.elb.tls_handshake_time_ms, Is.EqualTo(2L));
        }
    }

    [Test]
    public void Entry_with_nothing_optional_and_a_bad_client_ip_does_not_throw()
    {
        var entry = new ElbAccessLogEntry
        {
            Kind = ElbAccessLogKind.Alb,
            Time = DateTimeOffset.UnixEpoch,
            LoadBalancer = "",
            ClientIp = "not-an-ip",
            ClientPort = 0,
            ActionsExecuted = null!,
            TargetPortList = null!,
            TargetStatusCodeList = null!,
        };

        var record = ElbNormaliser.Normalise(entry, Contexts.For("bucket"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.source.ip, Is.Null);
            Assert.That(record.source.address, Is.EqualTo("not-an-ip"));
            Assert.That(record.@event.outcome, Is.EqualTo("unknown"));
            Assert.That(record.aws.elb.actions_executed, Is.Null);
            Assert.That(record.aws.elb.name, Is.Null);
        }
    }
}
