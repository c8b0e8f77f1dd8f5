using System.Text;
using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

/// <summary>Lines AWS writes that the corpus lacks, and lines no parser should accept.</summary>
public class ElbEdgeCaseTests
{
    private static readonly string HttpLine = Corpus.Lines("elb-alb.log")[0];
    private static readonly string HttpsLine = Corpus.Lines("elb-alb.log")[1];

    // An ALB line from 2024+, with target lists, classification, conn_trace_id and transform fields.
    private const string RecentAlbLine =
        "h2 2025-01-10T13:34:14.804475Z app/my-alb/7bba4eaafdb3bbc6 [2001:db8::17]:42088 172.31.11.7:80 0.006 0.000 0.000 200 200 115 124 " +
        "\"GET https://example.com:443/ HTTP/2.0\" \"curl/8.5.0\" TLS_AES_128_GCM_SHA256 TLSv1.3 " +
        "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/tg/f8e61ed9c1a90000 " +
        "\"Root=1-6655dd56-7bd889385aff85131b100000\" \"example.com\" \"session-reused\" 3 2025-01-10T13:34:14.797000Z " +
        "\"waf,forward\" \"-\" \"-\" \"172.31.11.7:80\" \"200\" \"-\" \"-\" TID_dc57cebed65b444ebc8177bb698f0000 " +
        "\"internal.example.com\" \"/v2/\" \"TransformSuccess\"";

    [Test]
    public void Recent_alb_line_gives_target_lists_trace_and_transform_fields()
    {
        var e = ElbAssert.Parses(RecentAlbLine);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.ClientIp, Is.EqualTo("2001:db8::17"));
            Assert.That(e.ClientPort, Is.EqualTo(42088));
            Assert.That(e.TlsCipher, Is.EqualTo("TLS_AES_128_GCM_SHA256"));
            Assert.That(e.TlsProtocol, Is.EqualTo("TLSv1.3"));
            Assert.That(e.ChosenCertArn, Is.EqualTo("session-reused"));
            Assert.That(e.MatchedRulePriority, Is.EqualTo(3));
            Assert.That(e.ActionsExecuted, Is.EqualTo(new[] { "waf", "forward" }));
            Assert.That(e.TargetPortList, Is.EqualTo(new[] { "172.31.11.7:80" }));
            Assert.That(e.TargetStatusCodeList, Is.EqualTo(new[] { "200" }));
            Assert.That(e.Classification, Is.Null);
            Assert.That(e.ClassificationReason, Is.Null);
            Assert.That(e.ConnectionTraceId, Is.EqualTo("TID_dc57cebed65b444ebc8177bb698f0000"));
            Assert.That(e.TransformedHost, Is.EqualTo("internal.example.com"));
            Assert.That(e.TransformedUri, Is.EqualTo("/v2/"));
            Assert.That(e.RequestTransformStatus, Is.EqualTo("TransformSuccess"));
            Assert.That(e.ExtraFields, Is.Empty);
        }
    }

    [Test]
    public void Fields_after_the_documented_ones_are_kept_in_order_as_extra_fields()
    {
        var e = ElbAssert.Parses(RecentAlbLine + " 10.0.0.9 \"future value\"");
        Assert.That(e.ExtraFields, Is.EqualTo(new[] { "10.0.0.9", "\"future value\"" }));
    }

    [Test]
    public void Desync_classification_fields_are_read()
    {
        var line = RecentAlbLine.Replace("\"200\" \"-\" \"-\" TID_", "\"200\" \"Ambiguous\" \"BothTeClPresent\" TID_", StringComparison.Ordinal);
        var e = ElbAssert.Parses(line);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Classification, Is.EqualTo("Ambiguous"));
            Assert.That(e.ClassificationReason, Is.EqualTo("BothTeClPresent"));
        }
    }

    [TestCase("2001:db8:85a3::8a2e:370:7334:2817", "2001:db8:85a3::8a2e:370:7334", 2817)]
    [TestCase("[2001:db8::1]:443", "2001:db8::1", 443)]
    [TestCase("::1:65535", "::1", 65535)]
    public void Ipv6_client_is_split_from_its_port(string written, string ip, int port)
    {
        var e = ElbAssert.Parses(HttpLine.Replace("192.168.131.39:2817", written, StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.ClientIp, Is.EqualTo(ip));
            Assert.That(e.ClientPort, Is.EqualTo(port));
        }
    }

    [TestCase("192.168.131.39", "field 4 (client:port) is not an IP address and port")]
    [TestCase("192.168.131.39:70000", "field 4 (client:port) is not an IP address and port")]
    [TestCase("10:2817", "field 4 (client:port) is not an IP address and port")]
    [TestCase("my-host:2817", "field 4 (client:port) is not an IP address and port")]
    [TestCase("-", "field 4 (client:port) is not an IP address and port")]
    public void Client_that_is_not_an_ip_and_port_is_dead_lettered(string written, string reason)
    {
        Assert.That(
            ElbAssert.Fails(HttpLine.Replace("192.168.131.39:2817", written, StringComparison.Ordinal)),
            Does.Contain(reason));
    }

    [Test]
    public void Failed_target_keeps_the_target_list_but_has_no_status_codes()
    {
        // The target was chosen but never answered: target:port set, status "-", lists "ip:port" and "-".
        var line = RecentAlbLine
            .Replace("0.006 0.000 0.000 200 200", "0.006 -1 -1 502 -", StringComparison.Ordinal)
            .Replace("\"172.31.11.7:80\" \"200\"", "\"172.31.11.7:80\" \"-\"", StringComparison.Ordinal);
        var e = ElbAssert.Parses(line);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.TargetIp, Is.EqualTo("172.31.11.7"));
            Assert.That(e.RequestProcessingSeconds, Is.EqualTo(0.006));
            Assert.That(e.TargetProcessingSeconds, Is.Null);
            Assert.That(e.ProcessingTimeUnavailable, Is.True);
            Assert.That(e.ElbStatusCode, Is.EqualTo(502));
            Assert.That(e.TargetStatusCode, Is.Null);
            Assert.That(e.TargetPortList, Is.EqualTo(new[] { "172.31.11.7:80" }));
            Assert.That(e.TargetStatusCodeList, Is.Empty);
        }
    }

    [Test]
    public void Lambda_target_with_dash_lists_has_no_targets()
    {
        var line = RecentAlbLine
            .Replace("172.31.11.7:80 0.006", "- 0.006", StringComparison.Ordinal)
            .Replace("\"172.31.11.7:80\" \"200\"", "\"-\" \"-\"", StringComparison.Ordinal);
        var e = ElbAssert.Parses(line);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.TargetIp, Is.Null);
            Assert.That(e.TargetPort, Is.Null);
            Assert.That(e.TargetPortList, Is.Empty);
            Assert.That(e.TargetStatusCodeList, Is.Empty);
        }
    }

    [Test]
    public void Escaped_quotes_inside_the_user_agent_are_unescaped()
    {
        var e = ElbAssert.Parses(HttpLine.Replace("\"curl/7.46.0\"", "\"Mozilla/5.0 \\\"quoted\\\" (x; y)\"", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.UserAgent, Is.EqualTo("Mozilla/5.0 \"quoted\" (x; y)"));
            Assert.That(e.TargetGroupArn, Does.StartWith("arn:aws:elasticloadbalancing:"));
        }
    }

    [Test]
    public void Request_url_with_hex_escaped_quote_is_kept_as_aws_wrote_it()
    {
        var e = ElbAssert.Parses(HttpsLine.Replace("https://www.example.com:443/", "https://www.example.com:443/q?bar=\\x22", StringComparison.Ordinal));
        Assert.That(e.RequestUrl, Is.EqualTo("https://www.example.com:443/q?bar=\\x22"));
    }

    [Test]
    public void Unknown_request_type_is_still_read_as_alb()
    {
        var e = ElbAssert.Parses("grpcs" + HttpsLine[5..]);
        Assert.That(e.Type, Is.EqualTo("grpcs"));
    }

    [Test]
    public void Crlf_line_ending_is_ignored()
    {
        Assert.That(ElbAssert.Parses(HttpLine + "\r\n").ErrorReason, Is.Null);
    }

    [Test]
    public void Line_truncated_inside_a_quoted_field_is_dead_lettered_for_the_missing_quote()
    {
        var cut = HttpLine[..HttpLine.IndexOf("curl", StringComparison.Ordinal)];
        Assert.That(ElbAssert.Fails(cut), Is.EqualTo("ALB field 14 has no closing quote: '\"'"));
    }

    [Test]
    public void Line_truncated_between_fields_is_dead_lettered_with_the_field_count()
    {
        var cut = string.Join(' ', HttpLine.Split(' ').Take(11));
        Assert.That(ElbAssert.Fails(cut), Is.EqualTo("ALB line has 11 fields, expected at least 25"));
    }

    [Test]
    public void Non_numeric_status_code_is_dead_lettered_naming_the_field()
    {
        var reason = ElbAssert.Fails(HttpLine.Replace(" 200 200 ", " 2xx 200 ", StringComparison.Ordinal));
        Assert.That(reason, Is.EqualTo("ALB field 9 (elb_status_code) is not a non-negative integer: '2xx'"));
    }

    [Test]
    public void Impossible_date_is_dead_lettered()
    {
        var reason = ElbAssert.Fails(HttpLine.Replace("2018-07-02T22:23", "2018-02-30T22:23", StringComparison.Ordinal));
        Assert.That(reason, Does.StartWith("ALB field 2 (time) is not an ISO 8601 time"));
    }

    [Test]
    public void Quoted_field_written_bare_is_dead_lettered_naming_the_field()
    {
        var reason = ElbAssert.Fails(HttpLine.Replace("\"curl/7.46.0\"", "curl/7.46.0", StringComparison.Ordinal));
        Assert.That(reason, Is.EqualTo("ALB field 14 (user_agent) should be double-quoted: 'curl/7.46.0'"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\r\n")]
    public void Empty_line_is_dead_lettered(string line)
    {
        Assert.That(ElbAssert.Fails(line), Is.EqualTo("ELB line is empty"));
    }

    [Test]
    public void Null_line_is_dead_lettered()
    {
        Assert.That(ElbAccessLogParser.Parse((string?)null).Error, Is.EqualTo("ELB line is null"));
    }

    [Test]
    public void Binary_garbage_is_dead_lettered_not_thrown()
    {
        var random = new Random(1234);
        var bytes = new byte[512];
        random.NextBytes(bytes);
        var result = ElbAccessLogParser.Parse(bytes);
        Assert.That(result.Error, Is.EqualTo("ELB line is not valid UTF-8"));
    }

    [Test]
    public void Utf8_bytes_of_a_real_line_parse_like_the_string()
    {
        var e = ElbAccessLogParser.Parse(Encoding.UTF8.GetBytes(HttpsLine)).Value;
        Assert.That(e, Is.EqualTo(ElbAssert.Parses(HttpsLine)).Using<ElbAccessLogEntry>(SameScalars));
    }

    [Test]
    public void Very_long_user_agent_is_kept_whole()
    {
        var agent = new string('x', 1_000_000);
        var e = ElbAssert.Parses(HttpLine.Replace("curl/7.46.0", agent, StringComparison.Ordinal));
        Assert.That(e.UserAgent, Has.Length.EqualTo(1_000_000));
    }

    [Test]
    public void Line_with_thousands_of_fields_is_dead_lettered_with_the_count()
    {
        var line = HttpLine + string.Concat(Enumerable.Repeat(" x", 5000));
        Assert.That(ElbAssert.Fails(line), Is.EqualTo("ELB line has 5025 fields, more than the 64 accepted"));
    }

    [Test]
    public void Reason_quotes_at_most_sixty_characters_of_a_bad_field()
    {
        var reason = ElbAssert.Fails(HttpLine.Replace("app/my-loadbalancer", "\"" + new string('y', 500) + "\"", StringComparison.Ordinal));
        Assert.That(reason, Does.EndWith(new string('y', 59) + "...'").And.Length.LessThan(150));
    }

    private static bool SameScalars(ElbAccessLogEntry a, ElbAccessLogEntry b) =>
        a with { ActionsExecuted = [], TargetPortList = [], TargetStatusCodeList = [], ExtraFields = [] }
        == b with { ActionsExecuted = [], TargetPortList = [], TargetStatusCodeList = [], ExtraFields = [] }
        && a.ActionsExecuted.SequenceEqual(b.ActionsExecuted);
}
