namespace Streams.Topology.Elb;

/// <summary>Which load balancer wrote an access log line.</summary>
public enum ElbAccessLogKind
{
    /// <summary>Application Load Balancer (HTTP, HTTPS, HTTP/2, gRPC, WebSockets).</summary>
    Alb,

    /// <summary>Classic Load Balancer.</summary>
    Classic,

    /// <summary>Network Load Balancer; it logs TLS listeners only.</summary>
    Nlb,
}

/// <summary>
/// One ELB access log line, faithful to the source: a field AWS wrote as <c>-</c> is null (or an empty list),
/// times are UTC, ALB/Classic processing times are seconds, NLB connection times are milliseconds.
/// Properties a kind does not write stay null; the remarks name the kinds that fill each one.
/// </summary>
public sealed record ElbAccessLogEntry
{
    public required ElbAccessLogKind Kind { get; init; }

    /// <summary>ALB: request or connection type (http, https, h2, grpcs, ws, wss). NLB: listener type (tls).</summary>
    public string? Type { get; init; }

    /// <summary>NLB: version of the log entry format ("1.0", "2.0").</summary>
    public string? Version { get; init; }

    /// <summary>
    /// ALB: when the load balancer responded (WebSockets: when the connection closed).
    /// Classic: when it received the request. NLB: end of the TLS connection.
    /// </summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Resource ID of the load balancer (ALB/NLB ids contain slashes; Classic is the name).</summary>
    public required string LoadBalancer { get; init; }

    /// <summary>NLB: resource ID of the TLS listener.</summary>
    public string? Listener { get; init; }

    public required string ClientIp { get; init; }

    public required int ClientPort { get; init; }

    /// <summary>ALB target / Classic backend. Null when AWS wrote "-": not dispatched, a Lambda target, or blocked by WAF.</summary>
    public string? TargetIp { get; init; }

    public int? TargetPort { get; init; }

    /// <summary>NLB: the listener, or the VPC endpoint the client connected through.</summary>
    public string? DestinationIp { get; init; }

    public int? DestinationPort { get; init; }

    /// <summary>ALB/Classic, seconds. Null when AWS wrote -1 (see <see cref="ProcessingTimeUnavailable"/>).</summary>
    public double? RequestProcessingSeconds { get; init; }

    /// <summary>ALB target / Classic backend processing time, seconds. Null when AWS wrote -1.</summary>
    public double? TargetProcessingSeconds { get; init; }

    /// <summary>ALB/Classic, seconds. Null when AWS wrote -1.</summary>
    public double? ResponseProcessingSeconds { get; init; }

    /// <summary>
    /// True when AWS wrote -1 for a processing time: the request could not be dispatched to a target
    /// (malformed request, connection closed) or the target did not answer before the idle timeout.
    /// </summary>
    public bool ProcessingTimeUnavailable { get; init; }

    public int? ElbStatusCode { get; init; }

    /// <summary>ALB target / Classic backend status code; null when no response came from it.</summary>
    public int? TargetStatusCode { get; init; }

    public long? ReceivedBytes { get; init; }

    public long? SentBytes { get; init; }

    /// <summary>From the "request" field (method, url, protocol version); each null where AWS wrote "-".</summary>
    public string? RequestMethod { get; init; }

    public string? RequestUrl { get; init; }

    public string? RequestProtocol { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>ALB/Classic ssl_cipher, NLB tls_cipher.</summary>
    public string? TlsCipher { get; init; }

    /// <summary>ALB/Classic ssl_protocol (TLSv1.2), NLB tls_protocol_version (tlsv12).</summary>
    public string? TlsProtocol { get; init; }

    public string? TargetGroupArn { get; init; }

    /// <summary>ALB: contents of the X-Amzn-Trace-Id header.</summary>
    public string? TraceId { get; init; }

    /// <summary>ALB: SNI domain; NLB: server_name of the client hello (URL-encoded).</summary>
    public string? DomainName { get; init; }

    /// <summary>ALB/NLB: certificate ARN, or "session-reused" (ALB).</summary>
    public string? ChosenCertArn { get; init; }

    /// <summary>ALB: 1..50000 when a rule matched, 0 for the default action, -1 for a rule evaluation error; null for "-".</summary>
    public int? MatchedRulePriority { get; init; }

    public DateTimeOffset? RequestCreationTime { get; init; }

    public IReadOnlyList<string> ActionsExecuted { get; init; } = [];

    public string? RedirectUrl { get; init; }

    public string? ErrorReason { get; init; }

    /// <summary>ALB: "ip:port" of each target that processed the request, as written.</summary>
    public IReadOnlyList<string> TargetPortList { get; init; } = [];

    public IReadOnlyList<string> TargetStatusCodeList { get; init; } = [];

    /// <summary>ALB desync mitigation classification (Acceptable, Ambiguous, Severe).</summary>
    public string? Classification { get; init; }

    public string? ClassificationReason { get; init; }

    /// <summary>ALB conn_trace_id (TID_...), shared with the connection log.</summary>
    public string? ConnectionTraceId { get; init; }

    public string? TransformedHost { get; init; }

    public string? TransformedUri { get; init; }

    public string? RequestTransformStatus { get; init; }

    /// <summary>NLB: connection time from start to close, milliseconds.</summary>
    public long? ConnectionTimeMillis { get; init; }

    /// <summary>NLB: TLS handshake time, milliseconds; null when the handshake did not complete.</summary>
    public long? TlsHandshakeTimeMillis { get; init; }

    public string? IncomingTlsAlert { get; init; }

    public string? ChosenCertSerial { get; init; }

    public string? TlsNamedGroup { get; init; }

    public string? AlpnFrontEndProtocol { get; init; }

    public string? AlpnBackEndProtocol { get; init; }

    /// <summary>NLB: the client's ALPN list as written, e.g. <c>"h2","http/1.1"</c> (URL-encoded, quotes kept).</summary>
    public string? AlpnClientPreferenceList { get; init; }

    public DateTimeOffset? TlsConnectionCreationTime { get; init; }

    /// <summary>Fields after the last documented one, as written; AWS appends new fields at the end.</summary>
    public IReadOnlyList<string> ExtraFields { get; init; } = [];
}
