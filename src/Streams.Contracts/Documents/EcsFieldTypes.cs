namespace Streams.Contracts.Documents;

/// <summary>
/// The one list of curated fields whose Elasticsearch type is not decided by their Avro type alone.
/// Every other string is a keyword (exact match, aggregations), which is what ECS maps most fields to.
/// </summary>
public static class EcsFieldTypes
{
    /// <summary>Keywords longer than this are kept in _source but not indexed (Lucene refuses terms over 32 KB).</summary>
    public const int IgnoreAbove = 1024;

    /// <summary>Free text searched by words; a keyword sub-field too where grouping by the exact value helps.</summary>
    public static IReadOnlyDictionary<string, bool> FullText { get; } = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        // path → whether it also gets a "keyword" sub-field
        ["message"] = false,
        ["error.message"] = true,
        ["error.stack_trace"] = false,
        ["mysql.query"] = true,
        ["user_agent.original"] = true,
        ["url.original"] = true,
    };

    /// <summary>
    /// JSON text with no fixed shape (and the raw line): kept in _source for display, neither indexed nor in doc
    /// values. Searching inside it would map arbitrary keys as words; the useful parts are lifted into fields.
    /// </summary>
    public static IReadOnlySet<string> StoredOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "event.original",
        "mongodb.attr",
        "laravel.context",
        "laravel.extra",
    };

    /// <summary>An IP address field: named ip (source.ip) or ending in _ip (aws.elb.backend_ip).</summary>
    public static bool IsIp(string segment) => segment == "ip" || segment.EndsWith("_ip", StringComparison.Ordinal);
}
