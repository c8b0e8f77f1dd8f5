using Streams.Topology.Parsing;

namespace Streams.Topology.Elb;

/// <summary>
/// Application Load Balancer access log lines. Field order follows the AWS Elastic Load Balancing
/// user guide for Application Load Balancers, "Access log entries / Syntax"
/// (docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html):
/// 25 fields through error_reason (in place since 2018), then target:port_list, target_status_code_list,
/// classification, classification_reason, conn_trace_id, transformed_host, transformed_uri,
/// request_transform_status; anything after those is kept in ExtraFields.
/// </summary>
internal static class AlbLineParser
{
    public const int MinimumFields = 25;
    private const int DocumentedFields = 33;

    public static ParseResult<ElbAccessLogEntry> Parse(ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields)
    {
        if (ElbFieldReader.FindBrokenQuote("ALB", line, fields) is { } broken)
        {
            return ParseResult<ElbAccessLogEntry>.Fail(broken);
        }

        var n = fields.Length;
        if (n < MinimumFields)
        {
            return ParseResult<ElbAccessLogEntry>.Fail($"ALB line has {n} fields, expected at least {MinimumFields}");
        }

        var r = new ElbFieldReader("ALB", line, fields);
        var unavailable = false;
        var client = r.Endpoint(3, "client:port", optional: false);
        var target = r.Endpoint(4, "target:port", optional: true);
        var request = r.Request(12);
        var entry = new ElbAccessLogEntry
        {
            Kind = ElbAccessLogKind.Alb,
            Type = r.Required(0, "type"),
            Time = r.Time(1, "time"),
            LoadBalancer = r.Required(2, "elb"),
            ClientIp = client.Ip ?? string.Empty,
            ClientPort = client.Port ?? 0,
            TargetIp = target.Ip,
            TargetPort = target.Port,
            RequestProcessingSeconds = r.Seconds(5, "request_processing_time", ref unavailable),
            TargetProcessingSeconds = r.Seconds(6, "target_processing_time", ref unavailable),
            ResponseProcessingSeconds = r.Seconds(7, "response_processing_time", ref unavailable),
            ProcessingTimeUnavailable = unavailable,
            ElbStatusCode = r.StatusCode(8, "elb_status_code"),
            TargetStatusCode = r.StatusCode(9, "target_status_code"),
            ReceivedBytes = r.Count(10, "received_bytes"),
            SentBytes = r.Count(11, "sent_bytes"),
            RequestMethod = request.Method,
            RequestUrl = request.Url,
            RequestProtocol = request.Protocol,
            UserAgent = r.Quoted(13, "user_agent"),
            TlsCipher = r.Bare(14, "ssl_cipher"),
            TlsProtocol = r.Bare(15, "ssl_protocol"),
            TargetGroupArn = r.Bare(16, "target_group_arn"),
            TraceId = r.Quoted(17, "trace_id"),
            DomainName = r.Quoted(18, "domain_name"),
            ChosenCertArn = r.Quoted(19, "chosen_cert_arn"),
            MatchedRulePriority = r.SignedInteger(20, "matched_rule_priority"),
            RequestCreationTime = r.OptionalTime(21, "request_creation_time"),
            ActionsExecuted = r.QuotedList(22, "actions_executed", ','),
            RedirectUrl = r.Quoted(23, "redirect_url"),
            ErrorReason = r.Quoted(24, "error_reason"),
            TargetPortList = n > 25 ? r.QuotedList(25, "target:port_list", ' ') : [],
            TargetStatusCodeList = n > 26 ? r.QuotedList(26, "target_status_code_list", ' ') : [],
            Classification = n > 27 ? r.Loose(27, "classification") : null,
            ClassificationReason = n > 28 ? r.Loose(28, "classification_reason") : null,
            ConnectionTraceId = n > 29 ? r.Loose(29, "conn_trace_id") : null,
            TransformedHost = n > 30 ? r.Loose(30, "transformed_host") : null,
            TransformedUri = n > 31 ? r.Loose(31, "transformed_uri") : null,
            RequestTransformStatus = n > 32 ? r.Loose(32, "request_transform_status") : null,
            ExtraFields = r.Rest(DocumentedFields),
        };

        return r.Error is null ? ParseResult<ElbAccessLogEntry>.Ok(entry) : ParseResult<ElbAccessLogEntry>.Fail(r.Error);
    }
}
