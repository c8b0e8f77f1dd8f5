namespace Streams.Topology.DeadLetterQueue;

/// <summary>
/// Which dead letters a command works on: a reason containing some text (case-insensitive), a source (the origin
/// topic's suffix), and a time range on the record timestamp (the original record's), since inclusive, until exclusive.
/// </summary>
public sealed record DeadLetterSelection(string? Reason = null, string? Source = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null)
{
    public static DeadLetterSelection All { get; } = new();

    public bool Matches(DeadLetterRecord record) =>
        (Reason is null || (record.Reason?.Contains(Reason, StringComparison.OrdinalIgnoreCase) ?? false))
        && (Source is null || string.Equals(record.Source, Source, StringComparison.Ordinal))
        && (Since is null || record.Time >= Since)
        && (Until is null || record.Time < Until);

    public override string ToString()
    {
        var parts = new List<string>();
        if (Reason is not null)
        {
            parts.Add($"reason containing '{Reason}'");
        }

        if (Source is not null)
        {
            parts.Add($"source '{Source}'");
        }

        if (Since is not null)
        {
            parts.Add($"since {Since:O}");
        }

        if (Until is not null)
        {
            parts.Add($"until {Until:O}");
        }

        return parts.Count == 0 ? "every record" : string.Join(", ", parts);
    }
}
