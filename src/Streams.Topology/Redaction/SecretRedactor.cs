using System.Buffers;
using System.Text;

namespace Streams.Topology.Redaction;

/// <summary>
/// Replaces secrets with "REDACTED" before a log event leaves the pipeline. Pure: the same input always gives
/// the same output, nothing throws on data, and text without secrets comes back as the same string.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = Redactions.Mask;

    // What the SQL and free-text rules look for besides sensitive names.
    private static readonly string[] SecretMarkers = ["://", "password", "identified", "bearer", "basic"];

    // The markers and the sensitive names as given, found in one vectorised pass.
    private readonly SearchValues<string> _markersAndNames;

    private readonly SensitiveNames _names;
    private readonly UrlSecretRedactor _urls;
    private readonly TextSecretRedactor _text;
    private readonly SqlSecretRedactor _sql;
    private readonly JsonSecretRedactor _json;

    public SecretRedactor(RedactionOptions? options = null)
    {
        Options = options ?? RedactionOptions.Default;
        _names = new SensitiveNames(Options.SensitiveNames);
        _urls = new UrlSecretRedactor(_names);
        _text = new TextSecretRedactor(_names, _urls);
        _sql = new SqlSecretRedactor(_names, _text);
        _json = new JsonSecretRedactor(_names, _text);
        _markersAndNames = SearchValues.Create(SecretMarkers.Concat(_names.LoweredNames).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public static SecretRedactor Default { get; } = new();

    public RedactionOptions Options { get; }

    /// <summary>Whether a parameter, key or column of this name holds a secret.</summary>
    public bool IsSensitiveName(string name) => _names.IsSensitive(name);

    /// <summary>
    /// False when neither the SQL nor the free-text rules can find anything to mask in <paramref name="text"/>, so
    /// <c>RedactText(RedactSql(text))</c> is <paramref name="text"/>: it is ASCII and has no sensitive name, no
    /// password keyword (IDENTIFIED, PASSWORD), no "://" and no authorization scheme. Every rule needs one of these in
    /// the text itself (a SQL literal's content is a part of it); non-ASCII text is always examined in full.
    /// </summary>
    public bool MayHoldSecret(string text) =>
        !Ascii.IsValid(text)
        || text.AsSpan().ContainsAny(_markersAndNames)
        || _names.MayOccurIn(text);

    /// <summary>A SQL statement (or several): password literals masked, the rest untouched.</summary>
    public string RedactSql(string sql) => string.IsNullOrEmpty(sql) ? sql : _sql.Redact(sql);

    /// <summary>A URL, a path with a query, or a bare query string: user-info password and sensitive parameters masked.</summary>
    public string RedactUrl(string url) => string.IsNullOrEmpty(url) ? url : _urls.Redact(url);

    /// <summary>A JSON document: values under sensitive keys masked at any depth; invalid JSON comes back unchanged.</summary>
    public string RedactJson(string json) => string.IsNullOrEmpty(json) ? json : _json.Redact(json);

    /// <summary>A log message: sensitive key=value / key: value pairs and URLs masked.</summary>
    public string RedactText(string text) => string.IsNullOrEmpty(text) ? text : _text.Redact(text);
}
