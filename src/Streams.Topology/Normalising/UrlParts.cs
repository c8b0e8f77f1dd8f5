using Streams.Contracts.Curated;

namespace Streams.Topology.Normalising;

/// <summary>
/// Splits a logged request URL into ECS url.* parts without ever throwing. Scheme, host and port come from
/// System.Uri (which validates them); path and query are cut from the text as logged, because Uri would
/// unescape, re-escape and resolve "../" segments, and url.path must show what the client sent.
/// </summary>
public static class UrlParts
{
    public static Url? From(string? original)
    {
        if (string.IsNullOrEmpty(original) || original == "-")
        {
            return null;
        }

        var url = new Url { original = original };
        var pathStart = 0;
        var schemeEnd = original.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            if (!Uri.TryCreate(original, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown)
            {
                // Not a URL Uri can read: keep it as logged, guess nothing.
                return url;
            }

            url.scheme = uri.Scheme;
            url.domain = NullIfEmpty(uri.IdnHost.Trim('[', ']'));
            url.port = uri.IsDefaultPort && !HasExplicitPort(original, schemeEnd) ? null : uri.Port;
            var authorityEnd = original.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
            pathStart = authorityEnd < 0 ? original.Length : authorityEnd;
        }

        var rest = original.AsSpan(pathStart);
        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = rest.IndexOf('?');
        url.path = NullIfEmpty((query < 0 ? rest : rest[..query]).ToString());
        url.query = query < 0 ? null : NullIfEmpty(rest[(query + 1)..].ToString());
        return url;
    }

    /// <summary>ELB writes the port even when it is the default (http://host:80/); ECS keeps what was logged.</summary>
    private static bool HasExplicitPort(string original, int schemeEnd)
    {
        var authorityEnd = original.IndexOfAny(['/', '?', '#'], schemeEnd + 3);
        var authority = original.AsSpan(schemeEnd + 3, (authorityEnd < 0 ? original.Length : authorityEnd) - schemeEnd - 3);
        var closingBracket = authority.LastIndexOf(']');
        return authority[(closingBracket + 1)..].Contains(':');
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
