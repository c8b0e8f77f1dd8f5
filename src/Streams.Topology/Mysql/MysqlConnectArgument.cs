namespace Streams.Topology.Mysql;

/// <summary>
/// Who a general log "Connect" entry is about. Its argument is either the login
/// (<c>app@localhost on okt using TCP/IP</c>) or MariaDB's refusal
/// (<c>Access denied for user 'app'@'localhost' (using password: YES)</c>), which also appears in MySQL's error log.
/// </summary>
internal sealed record MysqlConnectArgument(string? User, string? Host, string? Database, bool AccessDenied)
{
    private const string DeniedPrefix = "Access denied for user '";

    public static MysqlConnectArgument Read(string argument)
    {
        if (argument.StartsWith(DeniedPrefix, StringComparison.Ordinal))
        {
            var rest = argument.AsSpan(DeniedPrefix.Length);
            var userEnd = rest.IndexOf("'@'", StringComparison.Ordinal);
            if (userEnd < 0)
            {
                return new MysqlConnectArgument(null, null, null, AccessDenied: true);
            }

            var hostPart = rest[(userEnd + 3)..];
            var hostEnd = hostPart.IndexOf('\'');
            return new MysqlConnectArgument(
                NullIfEmpty(rest[..userEnd]),
                hostEnd < 0 ? null : NullIfEmpty(hostPart[..hostEnd]),
                null,
                AccessDenied: true);
        }

        // "user@host on db using transport": the user name may itself hold '@', the host never does.
        var on = argument.IndexOf(" on ", StringComparison.Ordinal);
        var login = on < 0 ? argument.AsSpan() : argument.AsSpan(0, on);
        var at = login.LastIndexOf('@');
        if (at < 0)
        {
            return new MysqlConnectArgument(null, null, null, AccessDenied: false);
        }

        string? database = null;
        if (on >= 0)
        {
            var afterOn = argument.AsSpan(on + 4);
            var usingAt = afterOn.IndexOf(" using ", StringComparison.Ordinal);
            database = NullIfEmpty(usingAt < 0 ? afterOn : afterOn[..usingAt]);
        }

        return new MysqlConnectArgument(NullIfEmpty(login[..at]), NullIfEmpty(login[(at + 1)..]), database, AccessDenied: false);
    }

    private static string? NullIfEmpty(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.IsEmpty ? null : text.ToString();
    }
}
