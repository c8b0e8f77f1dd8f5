using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

/// <summary>The Classic and NLB lines of tests/corpus (AWS documentation examples).</summary>
public class ClassicAndNlbCorpusTests
{
    private static readonly string[] ClassicLines = Corpus.Lines("elb-classic.log");
    private static readonly string[] NlbLines = Corpus.Lines("elb-nlb.log");

    [Test]
    public void Classic_http_line_gives_every_field_with_its_value()
    {
        var e = ElbAssert.Parses(ClassicLines[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Kind, Is.EqualTo(ElbAccessLogKind.Classic));
            Assert.That(e.Type, Is.Null);
            Assert.That(e.Time, Is.EqualTo(new DateTimeOffset(2015, 5, 13, 23, 39, 43, TimeSpan.Zero).AddTicks(9459580)));
            Assert.That(e.LoadBalancer, Is.EqualTo("my-loadbalancer"));
            Assert.That(e.ClientIp, Is.EqualTo("192.168.131.39"));
            Assert.That(e.ClientPort, Is.EqualTo(2817));
            Assert.That(e.TargetIp, Is.EqualTo("10.0.0.1"));
            Assert.That(e.TargetPort, Is.EqualTo(80));
            Assert.That(e.RequestProcessingSeconds, Is.EqualTo(0.000073));
            Assert.That(e.TargetProcessingSeconds, Is.EqualTo(0.001048));
            Assert.That(e.ResponseProcessingSeconds, Is.EqualTo(0.000057));
            Assert.That(e.ElbStatusCode, Is.EqualTo(200));
            Assert.That(e.TargetStatusCode, Is.EqualTo(200));
            Assert.That(e.ReceivedBytes, Is.EqualTo(0));
            Assert.That(e.SentBytes, Is.EqualTo(29));
            Assert.That(e.RequestMethod, Is.EqualTo("GET"));
            Assert.That(e.RequestUrl, Is.EqualTo("http://www.example.com:80/"));
            Assert.That(e.RequestProtocol, Is.EqualTo("HTTP/1.1"));
            Assert.That(e.UserAgent, Is.EqualTo("curl/7.38.0"));
            Assert.That(e.TlsCipher, Is.Null);
            Assert.That(e.TlsProtocol, Is.Null);
            Assert.That(e.TargetGroupArn, Is.Null);
            Assert.That(e.ExtraFields, Is.Empty);
        }
    }

    [Test]
    public void Classic_503_line_without_backend_marks_processing_times_unavailable()
    {
        var e = ElbAssert.Parses(ClassicLines[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.TargetIp, Is.Null);
            Assert.That(e.TargetPort, Is.Null);
            Assert.That(e.ProcessingTimeUnavailable, Is.True);
            Assert.That(e.RequestProcessingSeconds, Is.Null);
            Assert.That(e.ElbStatusCode, Is.EqualTo(503));
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.SentBytes, Is.EqualTo(0));
        }
    }

    [Test]
    public void Classic_tcp_line_with_dash_request_and_trailing_space_gives_no_request_parts()
    {
        // AWS documentation example for a TCP listener: "- - - " ends with a space, status codes are "-".
        var e = ElbAssert.Parses(
            "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.001065 0.000015 0.000023 - - 57 502 \"- - - \" \"-\" ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.ElbStatusCode, Is.Null);
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.ReceivedBytes, Is.EqualTo(57));
            Assert.That(e.RequestMethod, Is.Null);
            Assert.That(e.RequestUrl, Is.Null);
            Assert.That(e.RequestProtocol, Is.Null);
            Assert.That(e.UserAgent, Is.Null);
            Assert.That(e.TlsCipher, Is.EqualTo("ECDHE-ECDSA-AES128-GCM-SHA256"));
            Assert.That(e.TlsProtocol, Is.EqualTo("TLSv1.2"));
        }
    }

    [Test]
    public void Nlb_version_1_line_gives_every_field_with_its_value()
    {
        var e = ElbAssert.Parses(NlbLines[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Kind, Is.EqualTo(ElbAccessLogKind.Nlb));
            Assert.That(e.Type, Is.EqualTo("tls"));
            Assert.That(e.Version, Is.EqualTo("1.0"));
            Assert.That(e.Time, Is.EqualTo(new DateTimeOffset(2018, 12, 20, 2, 59, 40, TimeSpan.Zero)));
            Assert.That(e.LoadBalancer, Is.EqualTo("net/my-network-loadbalancer/c6e77e28c25b2234"));
            Assert.That(e.Listener, Is.EqualTo("g3d4b5e8bb8464cd"));
            Assert.That(e.ClientIp, Is.EqualTo("89.160.20.112"));
            Assert.That(e.ClientPort, Is.EqualTo(51341));
            Assert.That(e.DestinationIp, Is.EqualTo("172.100.100.185"));
            Assert.That(e.DestinationPort, Is.EqualTo(443));
            Assert.That(e.TargetIp, Is.Null);
            Assert.That(e.ConnectionTimeMillis, Is.EqualTo(5));
            Assert.That(e.TlsHandshakeTimeMillis, Is.EqualTo(2));
            Assert.That(e.ReceivedBytes, Is.EqualTo(98));
            Assert.That(e.SentBytes, Is.EqualTo(246));
            Assert.That(e.IncomingTlsAlert, Is.Null);
            Assert.That(e.ChosenCertArn, Is.EqualTo(
                "arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99"));
            Assert.That(e.ChosenCertSerial, Is.Null);
            Assert.That(e.TlsCipher, Is.EqualTo("ECDHE-RSA-AES128-SHA"));
            Assert.That(e.TlsProtocol, Is.EqualTo("tlsv12"));
            Assert.That(e.TlsNamedGroup, Is.Null);
            Assert.That(e.DomainName, Is.EqualTo("my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com"));
            Assert.That(e.AlpnFrontEndProtocol, Is.Null);
            Assert.That(e.AlpnClientPreferenceList, Is.Null);
            Assert.That(e.TlsConnectionCreationTime, Is.Null);
            Assert.That(e.RequestProcessingSeconds, Is.Null);
        }
    }

    [Test]
    public void Nlb_version_2_line_with_alpn_policy_keeps_the_quoted_client_preference_list()
    {
        // AWS documentation example "TLS listener with an ALPN policy", plus tls_connection_creation_time.
        var e = ElbAssert.Parses(
            "tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com h2 h2 \"h2\",\"http/1.1\" 2020-04-01T08:51:20");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Version, Is.EqualTo("2.0"));
            Assert.That(e.AlpnFrontEndProtocol, Is.EqualTo("h2"));
            Assert.That(e.AlpnBackEndProtocol, Is.EqualTo("h2"));
            Assert.That(e.AlpnClientPreferenceList, Is.EqualTo("\"h2\",\"http/1.1\""));
            Assert.That(e.TlsConnectionCreationTime, Is.EqualTo(new DateTimeOffset(2020, 4, 1, 8, 51, 20, TimeSpan.Zero)));
            Assert.That(e.ExtraFields, Is.Empty);
        }
    }

    [Test]
    public void Nlb_line_with_bare_ipv6_client_and_destination_splits_the_port_after_the_last_colon()
    {
        var e = ElbAssert.Parses(
            "tls 2.0 2026-04-29T07:46:43 net/my-internet-nlb/0123456789abcdef 0123456789abcdef 2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380:55932 2001:db8:138:7c01:63c:b510:129f:89f1:443 35040 48 2150 1726 - arn:aws:acm:ap-south-1:123456789012:certificate/00000000-0000-0000-0000-000000000000 - TLS_AES_128_GCM_SHA256 tlsv13 x25519 example.com - - - 2026-04-29T07:46:08");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.ClientIp, Is.EqualTo("2001:db8:1d0c:29b7:c9b2:7b5a:e7d0:2380"));
            Assert.That(e.ClientPort, Is.EqualTo(55932));
            Assert.That(e.DestinationIp, Is.EqualTo("2001:db8:138:7c01:63c:b510:129f:89f1"));
            Assert.That(e.DestinationPort, Is.EqualTo(443));
            Assert.That(e.ConnectionTimeMillis, Is.EqualTo(35040));
            Assert.That(e.TlsProtocol, Is.EqualTo("tlsv13"));
            Assert.That(e.TlsNamedGroup, Is.EqualTo("x25519"));
            Assert.That(e.DomainName, Is.EqualTo("example.com"));
            Assert.That(e.AlpnClientPreferenceList, Is.Null);
        }
    }

    [Test]
    public void Nlb_line_with_too_few_fields_is_dead_lettered_with_the_count()
    {
        var reason = ElbAssert.Fails(string.Join(' ', NlbLines[0].Split(' ').Take(12)));
        Assert.That(reason, Is.EqualTo("NLB line has 12 fields, expected at least 18"));
    }
}
