using System.Globalization;

namespace Streams.Topology.Mongodb;

/// <summary>
/// Lifts well-known attributes out of the free text of a legacy (pre-4.4) message: client addresses of
/// connection and authentication messages, and namespace, command, plan, appName and the trailing
/// "NNNms" of slow operation messages such as
/// <c>command test.foo appName: "MongoDB Shell" command: find { ... } planSummary: COLLSCAN ... 105ms</c>.
/// </summary>
internal static class MongodbLegacyMessage
{
    /// <summary>First words of the slow operation messages mongod 2.6..4.2 writes.</summary>
    private static readonly string[] Operations = ["command", "query", "update", "remove", "insert", "getmore", "killcursors"];

    private static readonly string[] RemotePrefixes =
    [
        "connection accepted from ", "end connection ", "received client metadata from ", "from client ",
    ];

    public static MongodbWellKnownFields Read(string message)
    {
        var text = message.AsSpan();
        var known = default(MongodbWellKnownFields);
        known.Remote = RemoteAddress(text);
        ReadAuthentication(text, ref known);

        var space = text.IndexOf(' ');
        var operation = space < 0 ? text : text[..space];
        if (space > 0 && IndexOf(Operations, operation) >= 0)
        {
            ReadOperation(text, operation, ref known);
        }

        known.Database ??= MongodbWellKnownFields.DatabaseOf(known.Namespace);
        return known;
    }

    private static void ReadOperation(ReadOnlySpan<char> text, ReadOnlySpan<char> operation, ref MongodbWellKnownFields known)
    {
        var afterOperation = text[(operation.Length + 1)..];
        var ns = Word(afterOperation);
        if (ns.Contains('.'))
        {
            known.Namespace = ns.ToString();
        }

        known.DurationMillis = TrailingMilliseconds(text);
        known.PlanSummary = PlanSummary(text);
        known.AppName = QuotedAfter(text, "appName: \"");

        // "command: find { ... }" names the command; writes log "update ns command: { q: ... }" instead.
        var command = After(text, " command: ");
        var name = Identifier(command);
        known.CommandName = !name.IsEmpty ? name.ToString() : operation is "command" ? null : operation.ToString();
    }

    /// <summary>"... 105ms" at the very end of the message.</summary>
    private static long? TrailingMilliseconds(ReadOnlySpan<char> text)
    {
        if (!text.EndsWith("ms"))
        {
            return null;
        }

        var digits = text[..^2];
        var start = digits.Length;
        while (start > 0 && char.IsAsciiDigit(digits[start - 1]))
        {
            start--;
        }

        var number = digits[start..];
        var separated = start == 0 || digits[start - 1] == ' ';
        return separated && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }

    /// <summary>
    /// The plan summary runs until the next "key:" at brace depth zero, e.g. "IXSCAN { a: 1 }" ends
    /// before " keysExamined:0", so its own "a:" inside braces does not stop it.
    /// </summary>
    private static string? PlanSummary(ReadOnlySpan<char> text)
    {
        var value = After(text, "planSummary: ");
        if (value.IsEmpty)
        {
            return null;
        }

        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    break;
                case ' ' when depth <= 0 && StartsNextItem(value[(i + 1)..]):
                    return value[..i].ToString();
            }
        }

        return value.ToString();
    }

    /// <summary>True at "key:value" (keysExamined:0) or at the trailing duration (105ms).</summary>
    private static bool StartsNextItem(ReadOnlySpan<char> text)
    {
        var word = Word(text);
        var colon = word.IndexOf(':');
        if (colon > 0 && !Identifier(word).IsEmpty && Identifier(word).Length == colon)
        {
            return true;
        }

        return word.Length == text.Length && TrailingMilliseconds(word) is not null;
    }

    private static string? RemoteAddress(ReadOnlySpan<char> text)
    {
        foreach (var prefix in RemotePrefixes)
        {
            var address = Word(After(text, prefix));
            if (!address.IsEmpty)
            {
                return address.ToString();
            }
        }

        return null;
    }

    /// <summary>"Successfully authenticated as principal alice on admin" / "authentication failed for alice on admin".</summary>
    private static void ReadAuthentication(ReadOnlySpan<char> text, ref MongodbWellKnownFields known)
    {
        var subject = After(text, "authenticated as principal ");
        if (subject.IsEmpty)
        {
            subject = After(text, "authentication failed for ");
        }

        var user = Word(subject);
        if (user.IsEmpty)
        {
            return;
        }

        known.User = user.ToString();
        var rest = subject[user.Length..];
        if (rest.StartsWith(" on "))
        {
            var db = Word(rest[4..]);
            known.Database = db.IsEmpty ? null : db.ToString();
        }
    }

    private static string? QuotedAfter(ReadOnlySpan<char> text, string prefix)
    {
        var value = After(text, prefix);
        var close = value.IndexOf('"');
        return close < 0 ? null : value[..close].ToString();
    }

    private static ReadOnlySpan<char> After(ReadOnlySpan<char> text, string prefix)
    {
        var at = text.IndexOf(prefix, StringComparison.Ordinal);
        return at < 0 ? [] : text[(at + prefix.Length)..];
    }

    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text)
    {
        var end = text.IndexOf(' ');
        return end < 0 ? text : text[..end];
    }

    /// <summary>The leading run of letters, digits, '_' and '$' (command and field names).</summary>
    private static ReadOnlySpan<char> Identifier(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '$'))
        {
            end++;
        }

        return text[..end];
    }

    private static int IndexOf(string[] words, ReadOnlySpan<char> word)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if (word.SequenceEqual(words[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
