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

    /// <summary>The remote split into ip and port, or nulls when it is not an IP address and port.</summary>
    public readonly (string? Ip, int? Port) RemoteEndpoint() =>
        Remote is not null && MongodbRemoteAddress.TrySplit(Remote, out var ip, out var port) ? (ip, port) : (null, null);

    /// <summary>"db" of a "db.collection" namespace.</summary>
    public static string? DatabaseOf(string? ns)
    {
        var dot = ns is null ? -1 : ns.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? ns![..dot] : null;
    }
}
