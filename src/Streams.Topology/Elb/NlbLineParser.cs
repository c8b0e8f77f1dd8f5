using Streams.Topology.Parsing;

namespace Streams.Topology.Elb;

/// <summary>
/// Network Load Balancer access log lines (TLS listeners only). Field order follows the AWS Elastic
/// Load Balancing user guide for Network Load Balancers, "Access log entries"
/// (docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html):
/// 18 fields through domain_name (version 1.0 lines stop there), then alpn_fe_protocol,
/// alpn_be_protocol, alpn_client_preference_list and tls_connection_creation_time.
/// </summary>
internal static class NlbLineParser
{
    public const int MinimumFields = 18;
    private const int DocumentedFields = 22;
    private const int AlpnClientPreferenceListIndex = 20;

    public static ParseResult<ElbAccessLogEntry> Parse(ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields)
    {
        if (ElbFieldReader.FindBrokenQuote("NLB", line, fields, gluedAllowedAt: AlpnClientPreferenceListIndex) is { } broken)
        {
            return ParseResult<ElbAccessLogEntry>.Fail(broken);
        }

        var n = fields.Length;
        if (n < MinimumFields)
        {
            return ParseResult<ElbAccessLogEntry>.Fail($"NLB line has {n} fields, expected at least {MinimumFields}");
        }

        var r = new ElbFieldReader("NLB", line, fields);
        var client = r.Endpoint(5, "client:port", optional: false);
        var destination = r.Endpoint(6, "destination:port", optional: false);
        var entry = new ElbAccessLogEntry
        {
            Kind = ElbAccessLogKind.Nlb,
            Type = r.Required(0, "type"),
            Version = r.Required(1, "version"),
            Time = r.Time(2, "time"),
            LoadBalancer = r.Required(3, "elb"),
            Listener = r.Bare(4, "listener"),
            ClientIp = client.Ip ?? string.Empty,
            ClientPort = client.Port ?? 0,
            DestinationIp = destination.Ip,
            DestinationPort = destination.Port,
            ConnectionTimeMillis = r.Count(7, "connection_time"),
            TlsHandshakeTimeMillis = r.Count(8, "tls_handshake_time"),
            ReceivedBytes = r.Count(9, "received_bytes"),
            SentBytes = r.Count(10, "sent_bytes"),
            IncomingTlsAlert = r.Bare(11, "incoming_tls_alert"),
            ChosenCertArn = r.Bare(12, "chosen_cert_arn"),
            ChosenCertSerial = r.Bare(13, "chosen_cert_serial"),
            TlsCipher = r.Bare(14, "tls_cipher"),
            TlsProtocol = r.Bare(15, "tls_protocol_version"),
            TlsNamedGroup = r.Bare(16, "tls_named_group"),
            DomainName = r.Bare(17, "domain_name"),
            AlpnFrontEndProtocol = n > 18 ? r.Bare(18, "alpn_fe_protocol") : null,
            AlpnBackEndProtocol = n > 19 ? r.Bare(19, "alpn_be_protocol") : null,

            // Each protocol is quoted and they are comma-joined without spaces, so the field is kept as written.
            AlpnClientPreferenceList = n > AlpnClientPreferenceListIndex ? r.Verbatim(AlpnClientPreferenceListIndex) : null,
            TlsConnectionCreationTime = n > 21 ? r.OptionalTime(21, "tls_connection_creation_time") : null,
            ExtraFields = r.Rest(DocumentedFields),
        };

        return r.Error is null ? ParseResult<ElbAccessLogEntry>.Ok(entry) : ParseResult<ElbAccessLogEntry>.Fail(r.Error);
    }
}
