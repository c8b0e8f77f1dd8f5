using Streams.Contracts.Curated;
using Streams.Topology.Normalising;

namespace Streams.Topology.Elb;

/// <summary>
/// Turns a parsed ELB access log line into the curated ECS record: ALB and Classic lines are web access
/// (outcome from the status code), NLB lines are TLS network connections (outcome from the handshake).
/// </summary>
public static class ElbNormaliser
{
    public const string Module = "aws";
    public const string Dataset = "aws.elb";

    public static ElbCurated Normalise(ElbAccessLogEntry entry, CurationContext context)
    {
        var isNetwork = entry.Kind == ElbAccessLogKind.Nlb;
        var (tlsVersion, tlsProtocol) = ProtocolVersions.Tls(entry.TlsProtocol);
        return new ElbCurated
        {
            timestamp = CuratedEvents.Utc(entry.Time),
            @event = CuratedEvents.Event(
                context,
                Dataset,
                Module,
                [isNetwork ? Ecs.CategoryNetwork : Ecs.CategoryWeb],
                [isNetwork ? Ecs.TypeConnection : Ecs.TypeAccess],
                isNetwork ? HandshakeOutcome(entry) : StatusOutcome(entry.ElbStatusCode),
                isNetwork ? Durations.FromMilliseconds(entry.ConnectionTimeMillis) : ProcessingNanoseconds(entry)),
            source = CuratedEvents.Source(entry.ClientIp, entry.ClientPort, entry.ClientIp),
            http = isNetwork ? null : Http(entry),
            url = UrlParts.From(entry.RequestUrl),
            user_agent = CuratedEvents.NullIfEmpty(entry.UserAgent) is { } agent ? new UserAgent { original = agent } : null,
            tls = entry.TlsCipher is null && tlsVersion is null && entry.DomainName is null && !isNetwork ? null : new Tls
            {
                version = tlsVersion,
                version_protocol = tlsProtocol,
                cipher = entry.TlsCipher,
                curve = entry.TlsNamedGroup,
                established = isNetwork ? entry.TlsHandshakeTimeMillis is not null : null,
                client = entry.DomainName is null ? null : new TlsClient { server_name = entry.DomainName },
            },
            trace = RootTraceId(entry.TraceId) is { } root ? new Trace { id = root } : null,
            labels = CuratedEvents.Labels(context),
            aws = new Aws { elb = AwsElb(entry) },
        };
    }

    private static Http Http(ElbAccessLogEntry entry) => new()
    {
        request = new HttpRequest { method = entry.RequestMethod, bytes = entry.ReceivedBytes },
        response = new HttpResponse { status_code = entry.ElbStatusCode, bytes = entry.SentBytes },
        version = ProtocolVersions.Http(entry.RequestProtocol),
    };

    private static AwsElb AwsElb(ElbAccessLogEntry entry) => new()
    {
        kind = entry.Kind switch
        {
            ElbAccessLogKind.Alb => "application",
            ElbAccessLogKind.Classic => "classic",
            ElbAccessLogKind.Nlb => "network",
            _ => null,
        },
        type = entry.Type,
        name = CuratedEvents.NullIfEmpty(entry.LoadBalancer),
        listener = entry.Listener,
        request_creation_time = entry.RequestCreationTime?.UtcDateTime,
        backend_ip = IpAddresses.OrNull(entry.TargetIp),
        backend_port = entry.TargetPort,
        elb_status_code = entry.ElbStatusCode,
        backend_status_code = entry.TargetStatusCode,
        request_processing_time_sec = entry.RequestProcessingSeconds,
        backend_processing_time_sec = entry.TargetProcessingSeconds,
        response_processing_time_sec = entry.ResponseProcessingSeconds,
        connection_time_ms = entry.ConnectionTimeMillis,
        tls_handshake_time_ms = entry.TlsHandshakeTimeMillis,
        received_bytes = entry.ReceivedBytes,
        sent_bytes = entry.SentBytes,
        target_group_arn = entry.TargetGroupArn,
        trace_id = entry.TraceId,
        chosen_cert_arn = entry.ChosenCertArn,
        matched_rule_priority = entry.MatchedRulePriority?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        actions_executed = NullIfEmpty(entry.ActionsExecuted),
        redirect_url = entry.RedirectUrl,
        error_reason = entry.ErrorReason,
        target_port_list = NullIfEmpty(entry.TargetPortList),
        target_status_code_list = NullIfEmpty(entry.TargetStatusCodeList),
        classification = entry.Classification,
        classification_reason = entry.ClassificationReason,
        incoming_tls_alert = entry.IncomingTlsAlert,
    };

    /// <summary>An HTTP status of 400 or more is a failed request; no status, no verdict.</summary>
    private static string StatusOutcome(int? status) => status switch
    {
        null => Ecs.OutcomeUnknown,
        >= 400 => Ecs.OutcomeFailure,
        _ => Ecs.OutcomeSuccess,
    };

    /// <summary>An NLB TLS connection succeeded when its handshake completed, failed when the client sent an alert.</summary>
    private static string HandshakeOutcome(ElbAccessLogEntry entry) =>
        entry.TlsHandshakeTimeMillis is not null ? Ecs.OutcomeSuccess
        : entry.IncomingTlsAlert is not null ? Ecs.OutcomeFailure
        : Ecs.OutcomeUnknown;

    /// <summary>The three processing times summed, those AWS logged as -1 left out; null when none was logged.</summary>
    private static long? ProcessingNanoseconds(ElbAccessLogEntry entry)
    {
        if (entry.RequestProcessingSeconds is null && entry.TargetProcessingSeconds is null && entry.ResponseProcessingSeconds is null)
        {
            return null;
        }

        // Summed from zero in field order, so the rounding is the same whichever times are missing.
        var sum = 0d;
        sum += entry.RequestProcessingSeconds ?? 0;
        sum += entry.TargetProcessingSeconds ?? 0;
        sum += entry.ResponseProcessingSeconds ?? 0;
        return Durations.FromSeconds(sum);
    }

    /// <summary>The Root= part of an X-Amzn-Trace-Id ("Self=...;Root=1-5833...;Sampled=1"), which ECS trace.id holds.</summary>
    private static string? RootTraceId(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var rest = header.AsSpan();
        while (true)
        {
            var semicolon = rest.IndexOf(';');
            var part = (semicolon < 0 ? rest : rest[..semicolon]).Trim();
            if (part.StartsWith("Root=", StringComparison.Ordinal) && part.Length > 5)
            {
                return part[5..].ToString();
            }

            if (semicolon < 0)
            {
                return null;
            }

            rest = rest[(semicolon + 1)..];
        }
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return null;
        }

        var list = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            list.Add(values[i]);
        }

        return list;
    }
}
