using Streams.Topology.Parsing;

namespace Streams.Topology.Mysql;

/// <summary>
/// The account behind a statement, as MySQL prints user_host in its tables and slow log:
/// "priv_user[user] @ host [ip]", e.g. "app[app] @ localhost [127.0.0.1]" or "[root] @ localhost []".
/// </summary>
/// <param name="UserName">The name the client logged in with (inside the brackets); null when empty.</param>
/// <param name="PrivilegedUser">
/// The account MySQL checks privileges against (before the brackets); differs for proxy and anonymous
/// accounts, and is null before authentication completes (a Connect row prints "[root] @ ...").
/// </param>
/// <param name="Host">The client host name; null when MySQL printed none (no name resolution).</param>
/// <param name="Ip">The client address (IPv4 or IPv6); null for socket connections.</param>
public sealed record MysqlUserHost(string? UserName, string? PrivilegedUser, string? Host, string? Ip)
{
    public static ParseResult<MysqlUserHost> Parse(string? text) => Parse(text.AsSpan());

    internal static ParseResult<MysqlUserHost> Parse(ReadOnlySpan<char> text)
    {
        var s = text.Trim();
        var open = s.IndexOf('[');
        var close = open < 0 ? -1 : s[open..].IndexOf(']') + open;
        if (open < 0 || close < open)
        {
            return ParseResult<MysqlUserHost>.Fail("user_host has no '[user]' part");
        }

        var rest = s[(close + 1)..].TrimStart();
        if (!rest.StartsWith('@'))
        {
            return ParseResult<MysqlUserHost>.Fail("user_host has no '@' after '[user]'");
        }

        // The host may be empty or (in theory) contain brackets; the ip is always the last "[...]".
        rest = rest[1..];
        var ipOpen = rest.LastIndexOf('[');
        if (ipOpen < 0 || !rest.EndsWith(']'))
        {
            return ParseResult<MysqlUserHost>.Fail("user_host has no '[ip]' part after '@'");
        }

        return ParseResult<MysqlUserHost>.Ok(new MysqlUserHost(
            NullIfEmpty(s[(open + 1)..close]),
            NullIfEmpty(s[..open]),
            NullIfEmpty(rest[..ipOpen]),
            NullIfEmpty(rest[(ipOpen + 1)..^1])));
    }

    private static string? NullIfEmpty(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        return value.IsEmpty ? null : value.ToString();
    }
}
