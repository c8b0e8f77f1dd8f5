using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

/// <summary>The ALB lines of tests/corpus (AWS documentation examples and a real test load balancer).</summary>
public class AlbCorpusTests
{
    private static readonly string[] DocExamples = Corpus.Lines("elb-alb.log");
    private static readonly string[] RealLines = Corpus.Lines("elb-alb-2.log");

    private const string TargetGroup =
        "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";

    [Test]
    public void Http_line_gives_every_field_with_its_value()
    {
        var e = ElbAssert.Parses(DocExamples[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Kind, Is.EqualTo(ElbAccessLogKind.Alb));
            Assert.That(e.Type, Is.EqualTo("http"));
            Assert.That(e.Time, Is.EqualTo(new DateTimeOffset(2018, 7, 2, 22, 23, 0, TimeSpan.Zero).AddTicks(1866410)));
            Assert.That(e.Time.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(e.LoadBalancer, Is.EqualTo("app/my-loadbalancer/50dc6c495c0c9188"));
            Assert.That(e.ClientIp, Is.EqualTo("192.168.131.39"));
            Assert.That(e.ClientPort, Is.EqualTo(2817));
            Assert.That(e.TargetIp, Is.EqualTo("10.0.0.1"));
            Assert.That(e.TargetPort, Is.EqualTo(80));
            Assert.That(e.RequestProcessingSeconds, Is.EqualTo(0.0));
            Assert.That(e.TargetProcessingSeconds, Is.EqualTo(0.001));
            Assert.That(e.ResponseProcessingSeconds, Is.EqualTo(0.0));
            Assert.That(e.ProcessingTimeUnavailable, Is.False);
            Assert.That(e.ElbStatusCode, Is.EqualTo(200));
            Assert.That(e.TargetStatusCode, Is.EqualTo(200));
            Assert.That(e.ReceivedBytes, Is.EqualTo(34));
            Assert.That(e.SentBytes, Is.EqualTo(366));
            Assert.That(e.RequestMethod, Is.EqualTo("GET"));
            Assert.That(e.RequestUrl, Is.EqualTo("http://www.example.com:80/"));
            Assert.That(e.RequestProtocol, Is.EqualTo("HTTP/1.1"));
            Assert.That(e.UserAgent, Is.EqualTo("curl/7.46.0"));
            Assert.That(e.TlsCipher, Is.Null);
            Assert.That(e.TlsProtocol, Is.Null);
            Assert.That(e.TargetGroupArn, Is.EqualTo(TargetGroup));
            Assert.That(e.TraceId, Is.EqualTo("Root=1-58337262-36d228ad5d99923122bbe354"));
            Assert.That(e.DomainName, Is.Null);
            Assert.That(e.ChosenCertArn, Is.Null);
            Assert.That(e.MatchedRulePriority, Is.EqualTo(0));
            Assert.That(e.RequestCreationTime, Is.EqualTo(new DateTimeOffset(2018, 7, 2, 22, 22, 48, 364, TimeSpan.Zero)));
            Assert.That(e.ActionsExecuted, Is.EqualTo(new[] { "forward" }));
            Assert.That(e.RedirectUrl, Is.Null);
            Assert.That(e.ErrorReason, Is.Null);
            Assert.That(e.TargetPortList, Is.Empty);
            Assert.That(e.ExtraFields, Is.Empty);
        }
    }

    [Test]
    public void Https_line_gives_tls_sni_certificate_and_several_actions()
    {
        var e = ElbAssert.Parses(DocExamples[1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Type, Is.EqualTo("https"));
            Assert.That(e.RequestProcessingSeconds, Is.EqualTo(0.086));
            Assert.That(e.TargetProcessingSeconds, Is.EqualTo(0.048));
            Assert.That(e.ResponseProcessingSeconds, Is.EqualTo(0.037));
            Assert.That(e.ReceivedBytes, Is.EqualTo(0));
            Assert.That(e.SentBytes, Is.EqualTo(57));
            Assert.That(e.RequestUrl, Is.EqualTo("https://www.example.com:443/"));
            Assert.That(e.TlsCipher, Is.EqualTo("ECDHE-RSA-AES128-GCM-SHA256"));
            Assert.That(e.TlsProtocol, Is.EqualTo("TLSv1.2"));
            Assert.That(e.TraceId, Is.EqualTo("Root=1-58337281-1d84f3d73c47ec4e58577259"));
            Assert.That(e.DomainName, Is.EqualTo("www.example.com"));
            Assert.That(
                e.ChosenCertArn,
                Is.EqualTo("arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012"));
            Assert.That(e.MatchedRulePriority, Is.EqualTo(1));
            Assert.That(e.ActionsExecuted, Is.EqualTo(new[] { "authenticate", "forward" }));
        }
    }

    [Test]
    public void H2_line_gives_http2_protocol_and_redirect_url()
    {
        var e = ElbAssert.Parses(DocExamples[2]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Type, Is.EqualTo("h2"));
            Assert.That(e.ClientIp, Is.EqualTo("10.0.1.252"));
            Assert.That(e.ClientPort, Is.EqualTo(48160));
            Assert.That(e.TargetIp, Is.EqualTo("10.0.0.66"));
            Assert.That(e.TargetPort, Is.EqualTo(9000));
            Assert.That(e.RequestUrl, Is.EqualTo("https://10.0.2.105:773/"));
            Assert.That(e.RequestProtocol, Is.EqualTo("HTTP/2.0"));
            Assert.That(e.ActionsExecuted, Is.EqualTo(new[] { "redirect" }));
            Assert.That(e.RedirectUrl, Is.EqualTo("https://example.com:80/"));
        }
    }

    [Test]
    public void Ws_line_gives_upgrade_status_and_missing_user_agent()
    {
        var e = ElbAssert.Parses(DocExamples[3]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Type, Is.EqualTo("ws"));
            Assert.That(e.ElbStatusCode, Is.EqualTo(101));
            Assert.That(e.TargetStatusCode, Is.EqualTo(101));
            Assert.That(e.ReceivedBytes, Is.EqualTo(218));
            Assert.That(e.SentBytes, Is.EqualTo(587));
            Assert.That(e.UserAgent, Is.Null);
            Assert.That(e.TraceId, Is.EqualTo("Root=1-58337364-23a8c76965a2ef7629b185e3"));
        }
    }

    // The AWS documentation example lost the space between "-" and 1. AWS itself writes a space there;
    // a quote glued to text is also how the NLB ALPN list is written, so the tokenizer cannot guess which
    // field was meant. The line is dead-lettered with a reason that names the field.
    [Test]
    public void Alb_wss_line_with_missing_space_is_dead_lettered_with_reason()
    {
        var reason = ElbAssert.Fails(DocExamples[4]);
        Assert.That(reason, Is.EqualTo(
            "ALB field 20 has text glued to its closing quote (missing space): '\"-\"1'"));
    }

    [Test]
    public void Wss_line_parses_once_the_missing_space_is_restored()
    {
        var e = ElbAssert.Parses(DocExamples[4].Replace("\"-\"1 ", "\"-\" 1 ", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Type, Is.EqualTo("wss"));
            Assert.That(e.TlsProtocol, Is.EqualTo("TLSv1.2"));
            Assert.That(e.MatchedRulePriority, Is.EqualTo(1));
            Assert.That(e.TargetGroupArn, Does.StartWith("arn:aws:elasticloadbalancing:us-west-2:"));
        }
    }

    [Test]
    public void Lambda_target_line_has_no_target_address_but_keeps_status_codes()
    {
        var e = ElbAssert.Parses(DocExamples[5]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Time, Is.EqualTo(new DateTimeOffset(2018, 11, 30, 22, 23, 0, TimeSpan.Zero).AddTicks(1866410)));
            Assert.That(e.TargetIp, Is.Null);
            Assert.That(e.TargetPort, Is.Null);
            Assert.That(e.ElbStatusCode, Is.EqualTo(200));
            Assert.That(e.TargetStatusCode, Is.EqualTo(200));
            Assert.That(e.ErrorReason, Is.Null);
        }
    }

    [Test]
    public void Failed_lambda_line_gives_502_without_target_status_and_the_error_reason()
    {
        var e = ElbAssert.Parses(DocExamples[6]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.TargetIp, Is.Null);
            Assert.That(e.ElbStatusCode, Is.EqualTo(502));
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.ErrorReason, Is.EqualTo("LambdaInvalidResponse"));
        }
    }

    [Test]
    public void Malformed_request_line_has_unavailable_processing_times_and_keeps_the_odd_url()
    {
        var e = ElbAssert.Parses(DocExamples[7]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.RequestProcessingSeconds, Is.Null);
            Assert.That(e.TargetProcessingSeconds, Is.Null);
            Assert.That(e.ResponseProcessingSeconds, Is.Null);
            Assert.That(e.ProcessingTimeUnavailable, Is.True);
            Assert.That(e.ElbStatusCode, Is.EqualTo(400));
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.ReceivedBytes, Is.EqualTo(0));
            Assert.That(e.RequestMethod, Is.Null);
            Assert.That(e.RequestUrl, Is.EqualTo("http://www.example.com:80-"));
            Assert.That(e.RequestProtocol, Is.Null);
            Assert.That(e.UserAgent, Is.Null);
            Assert.That(e.TargetGroupArn, Is.Null);
            Assert.That(e.TraceId, Is.Null);
            Assert.That(e.ActionsExecuted, Is.Empty);
        }
    }

    [Test]
    public void Dash_dash_dash_request_gives_no_method_url_or_protocol()
    {
        var e = ElbAssert.Parses(DocExamples[8]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.RequestMethod, Is.Null);
            Assert.That(e.RequestUrl, Is.Null);
            Assert.That(e.RequestProtocol, Is.Null);
            Assert.That(e.ElbStatusCode, Is.EqualTo(400));
            Assert.That(e.ProcessingTimeUnavailable, Is.True);
        }
    }

    [Test]
    public void Real_460_line_keeps_the_target_and_marks_processing_times_unavailable()
    {
        var e = ElbAssert.Parses(RealLines[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.LoadBalancer, Is.EqualTo("app/filebeat-aws-elb-test/c86a326e7dc14222"));
            Assert.That(e.ClientIp, Is.EqualTo("77.227.156.41"));
            Assert.That(e.ClientPort, Is.EqualTo(56398));
            Assert.That(e.TargetIp, Is.EqualTo("10.0.0.192"));
            Assert.That(e.TargetPort, Is.EqualTo(80));
            Assert.That(e.ProcessingTimeUnavailable, Is.True);
            Assert.That(e.RequestProcessingSeconds, Is.Null);
            Assert.That(e.ElbStatusCode, Is.EqualTo(460));
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.ReceivedBytes, Is.EqualTo(125));
            Assert.That(e.SentBytes, Is.EqualTo(0));
            Assert.That(e.RequestUrl, Is.EqualTo("http://filebeat-aws-elb-test-12030537.eu-central-1.elb.amazonaws.com:80/"));
            Assert.That(e.UserAgent, Is.EqualTo("curl/7.58.0"));
            Assert.That(e.TargetGroupArn, Is.EqualTo(
                "arn:aws:elasticloadbalancing:eu-central-1:627959692251:targetgroup/test-lb-instances/8f04c4fe71f5f794"));
            Assert.That(e.TraceId, Is.EqualTo("Root=1-5da09932-2c342a443bfb96249aa50ed7"));
            Assert.That(e.RequestCreationTime, Is.EqualTo(new DateTimeOffset(2019, 10, 11, 15, 1, 6, 657, TimeSpan.Zero)));
        }
    }

    [Test]
    public void Real_504_and_200_lines_give_their_status_codes_and_times()
    {
        var timeout = ElbAssert.Parses(RealLines[1]);
        var ok = ElbAssert.Parses(RealLines[2]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeout.ElbStatusCode, Is.EqualTo(504));
            Assert.That(timeout.SentBytes, Is.EqualTo(308));
            Assert.That(timeout.TargetIp, Is.EqualTo("10.0.1.107"));
            Assert.That(ok.ElbStatusCode, Is.EqualTo(200));
            Assert.That(ok.TargetStatusCode, Is.EqualTo(200));
            Assert.That(ok.RequestProcessingSeconds, Is.EqualTo(0.001));
            Assert.That(ok.SentBytes, Is.EqualTo(859));
            Assert.That(ok.ProcessingTimeUnavailable, Is.False);
            Assert.That(ok.Time, Is.EqualTo(new DateTimeOffset(2019, 10, 11, 15, 55, 9, TimeSpan.Zero).AddTicks(3081830)));
        }
    }

    [Test]
    public void Every_corpus_alb_line_parses_except_the_documented_missing_space()
    {
        var failures = DocExamples.Concat(RealLines)
            .Select(l => (Line: l, Result: ElbAccessLogParser.Parse(l)))
            .Where(x => !x.Result.IsSuccess)
            .Select(x => x.Line[..4])
            .ToArray();
        Assert.That(failures, Is.EqualTo(new[] { "wss " }));
    }
}
