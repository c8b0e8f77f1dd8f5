using Streams.Topology.Parsing;

namespace Streams.Topology.Mongodb;

/// <summary>The attributes lifted out of an entry, gathered by the JSON and legacy readers alike.</summary>
internal struct MongodbWellKnownFields
{
    public string? Remote;
    public long? DurationMillis;
    public string? Namespace;
    public string? PlanSummary;
    public string? CommandName;
    public string? AppName;
    public string? User;
    public string? Database;

    /// <summary>The entry with these fields set; the remote is split into ip and port when it is an IP address and port.</summary>
    public readonly MongodbLogEntry AddTo(MongodbLogEntry entry)
    {
        var endpoint = Remote is not null && IpEndpoint.TrySplit(Remote, out var ip, out var port) ? (Ip: ip, Port: (int?)port) : (Ip: null, Port: null);
        return entry with
        {
            Remote = Remote,
            RemoteIp = endpoint.Ip,
            RemotePort = endpoint.Port,
            DurationMillis = DurationMillis,
            Namespace = Namespace,
            PlanSummary = PlanSummary,
            CommandName = CommandName,
            AppName = AppName,
            User = User,
            Database = Database,
        };
    }

    /// <summary>"db" of a "db.collection" namespace.</summary>
    public static string? DatabaseOf(string? ns)
    {
        var dot = ns is null ? -1 : ns.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? ns![..dot] : null;
    }
}
