using Streams.Topology.Parsing;

namespace Streams.Topology.Elb;

/// <summary>
/// Classic Load Balancer access log lines. Field order follows the AWS Elastic Load Balancing user guide
/// for Classic Load Balancers, "Access log entries / Syntax"
/// (docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html): 15 fields.
/// TCP/SSL listeners write "-" status codes and a "- - - " request.
/// </summary>
internal static class ClassicElbLineParser
{
    public const int DocumentedFields = 15;

    public static ParseResult<ElbAccessLogEntry> Parse(ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields)
    {
        if (ElbFieldReader.FindBrokenQuote("Classic ELB", line, fields) is { } broken)
        {
            return ParseResult<ElbAccessLogEntry>.Fail(broken);
        }

        if (fields.Length < DocumentedFields)
        {
            return ParseResult<ElbAccessLogEntry>.Fail(
                $"Classic ELB line has {fields.Length} fields, expected at least {DocumentedFields}");
        }

        var r = new ElbFieldReader("Classic ELB", line, fields);
        var unavailable = false;
        var client = r.Endpoint(2, "client:port", optional: false);
        var backend = r.Endpoint(3, "backend:port", optional: true);
        var request = r.Request(11);
        var entry = new ElbAccessLogEntry
        {
            Kind = ElbAccessLogKind.Classic,
            Time = r.Time(0, "timestamp"),
            LoadBalancer = r.Required(1, "elb"),
            ClientIp = client.Ip ?? string.Empty,
            ClientPort = client.Port ?? 0,
            TargetIp = backend.Ip,
            TargetPort = backend.Port,
            RequestProcessingSeconds = r.Seconds(4, "request_processing_time", ref unavailable),
            TargetProcessingSeconds = r.Seconds(5, "backend_processing_time", ref unavailable),
            ResponseProcessingSeconds = r.Seconds(6, "response_processing_time", ref unavailable),
            ProcessingTimeUnavailable = unavailable,
            ElbStatusCode = r.StatusCode(7, "elb_status_code"),
            TargetStatusCode = r.StatusCode(8, "backend_status_code"),
            ReceivedBytes = r.Count(9, "received_bytes"),
            SentBytes = r.Count(10, "sent_bytes"),
            RequestMethod = request.Method,
            RequestUrl = request.Url,
            RequestProtocol = request.Protocol,
            UserAgent = r.Quoted(12, "user_agent"),
            TlsCipher = r.Bare(13, "ssl_cipher"),
            TlsProtocol = r.Bare(14, "ssl_protocol"),
            ExtraFields = r.Rest(DocumentedFields),
        };

        return r.Error is null ? ParseResult<ElbAccessLogEntry>.Ok(entry) : ParseResult<ElbAccessLogEntry>.Fail(r.Error);
    }
}
