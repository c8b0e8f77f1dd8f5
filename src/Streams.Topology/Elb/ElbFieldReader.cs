using System.Globalization;
using Streams.Topology.Parsing;

namespace Streams.Topology.Elb;

/// <summary>
/// Reads typed values out of tokenized ELB fields. A failed read returns a default and the problem
/// with the lowest field number is kept in <see cref="Error"/>, so a parser can read every field
/// in one object initializer, in any order, and check once.
/// </summary>
internal ref struct ElbFieldReader
{
    private const int MaxQuotedInReason = 60;

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private readonly string kind;
    private readonly ReadOnlySpan<char> line;
    private readonly ReadOnlySpan<QuotedField> fields;
    private int errorIndex;

    public ElbFieldReader(string kind, ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields)
    {
        this.kind = kind;
        this.line = line;
        this.fields = fields;
    }

    public string? Error { get; private set; }

    /// <summary>
    /// Finds the first quoted field that is unterminated or has text glued after its closing quote,
    /// skipping <paramref name="gluedAllowedAt"/>. Checked before counting fields, because such a field
    /// shifts every field after it and "too few fields" would hide the real cause.
    /// </summary>
    public static string? FindBrokenQuote(string kind, ReadOnlySpan<char> line, ReadOnlySpan<QuotedField> fields, int gluedAllowedAt = -1)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            var shape = fields[i].Shape;
            if (shape == QuotedFieldShape.Unterminated || (shape == QuotedFieldShape.Glued && i != gluedAllowedAt))
            {
                var reader = new ElbFieldReader(kind, line, fields);
                reader.Fail(i, null, ProblemWithQuotes(shape));
                return reader.Error;
            }
        }

        return null;
    }

    /// <summary>A bare field that must be present, e.g. the load balancer id.</summary>
    public string Required(int index, string name)
    {
        var field = fields[index];
        if (field.Shape != QuotedFieldShape.Bare || field.Raw(line) is "-")
        {
            Fail(index, name, "is missing or quoted");
            return string.Empty;
        }

        return Text(field.Raw(line));
    }

    /// <summary>A bare field where "-" means absent.</summary>
    public string? Bare(int index, string name)
    {
        var field = fields[index];
        if (field.Shape != QuotedFieldShape.Bare)
        {
            Fail(index, name, "should not be quoted");
            return null;
        }

        return field.Raw(line) is "-" ? null : Text(field.Raw(line));
    }

    /// <summary>A double-quoted field where "-" means absent.</summary>
    public string? Quoted(int index, string name)
    {
        var field = fields[index];
        if (!field.IsQuoted)
        {
            Fail(index, name, ProblemWithQuotes(field.Shape));
            return null;
        }

        return field.Inner(line) is "-" ? null : field.Value(line);
    }

    /// <summary>A field AWS documents recently and may write quoted or bare; "-" means absent.</summary>
    public string? Loose(int index, string name)
    {
        var field = fields[index];
        if (field.Shape is QuotedFieldShape.Glued or QuotedFieldShape.Unterminated)
        {
            Fail(index, name, ProblemWithQuotes(field.Shape));
            return null;
        }

        return field.Inner(line) is "-" ? null : field.Value(line);
    }

    /// <summary>A field kept exactly as written (quotes included); "-" means absent.</summary>
    public string? Verbatim(int index) => fields[index].Raw(line) is "-" ? null : fields[index].Raw(line).ToString();

    /// <summary>A quoted list split on <paramref name="separator"/>; "-" gives an empty list.</summary>
    public IReadOnlyList<string> QuotedList(int index, string name, char separator)
    {
        var field = fields[index];
        if (!field.IsQuoted)
        {
            Fail(index, name, ProblemWithQuotes(field.Shape));
            return [];
        }

        var inner = field.Inner(line);
        if (inner is "-")
        {
            return [];
        }

        return SplitNonEmpty(field.Shape == QuotedFieldShape.QuotedWithEscapes ? field.Value(line) : inner, separator);
    }

    public (string? Ip, int? Port) Endpoint(int index, string name, bool optional)
    {
        var raw = fields[index].Raw(line);
        if (optional && raw is "-")
        {
            return (null, null);
        }

        if (fields[index].Shape != QuotedFieldShape.Bare || !IpEndpoint.TrySplit(raw, out var ip, out var port))
        {
            Fail(index, name, "is not an IP address and port");
            return (null, null);
        }

        return (ip, port);
    }

    public DateTimeOffset Time(int index, string name)
    {
        if (!ElbTimestamp.TryParse(fields[index].Raw(line), out var time))
        {
            Fail(index, name, "is not an ISO 8601 time");
        }

        return time;
    }

    public DateTimeOffset? OptionalTime(int index, string name) =>
        fields[index].Raw(line) is "-" ? null : Time(index, name);

    /// <summary>Seconds; "-1" (AWS: could not dispatch) and "-" give null and set <paramref name="unavailable"/> for -1.</summary>
    public double? Seconds(int index, string name, ref bool unavailable)
    {
        var raw = fields[index].Raw(line);
        if (raw is "-1")
        {
            unavailable = true;
            return null;
        }

        if (raw is "-")
        {
            return null;
        }

        if (!TryParseShortDecimal(raw, out var seconds)
            && !double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds))
        {
            Fail(index, name, "is not a number of seconds");
        }

        return seconds;
    }

    /// <summary>A non-negative integer (status code, byte count, milliseconds); "-" gives null.</summary>
    public long? Count(int index, string name)
    {
        var raw = fields[index].Raw(line);
        if (raw is "-")
        {
            return null;
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Fail(index, name, "is not a non-negative integer");
            return null;
        }

        return value;
    }

    public int? StatusCode(int index, string name)
    {
        var value = Count(index, name);
        if (value > 999)
        {
            Fail(index, name, "is not an HTTP status code");
            return null;
        }

        return (int?)value;
    }

    /// <summary>An integer that may be -1 (ALB matched_rule_priority); "-" gives null.</summary>
    public int? SignedInteger(int index, string name)
    {
        var raw = fields[index].Raw(line);
        if (raw is "-")
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Fail(index, name, "is not an integer");
            return null;
        }

        return value;
    }

    /// <summary>The "request" field: method, url and protocol version, each null where AWS wrote "-".</summary>
    public (string? Method, string? Url, string? Protocol) Request(int index)
    {
        var field = fields[index];
        if (!field.IsQuoted)
        {
            Fail(index, "request", ProblemWithQuotes(field.Shape));
            return (null, null, null);
        }

        // Classic TCP listeners write "- - - " with a trailing space; the url sits between the first and last space.
        var text = (field.Shape == QuotedFieldShape.QuotedWithEscapes ? field.Value(line).AsSpan() : field.Inner(line)).Trim(' ');
        var firstSpace = text.IndexOf(' ');
        if (firstSpace < 0)
        {
            return (DashToNull(text), null, null);
        }

        var lastSpace = text.LastIndexOf(' ');
        if (lastSpace == firstSpace)
        {
            return (DashToNull(text[..firstSpace]), DashToNull(text[(firstSpace + 1)..]), null);
        }

        return (
            DashToNull(text[..firstSpace]),
            DashToNull(text[(firstSpace + 1)..lastSpace].Trim(' ')),
            DashToNull(text[(lastSpace + 1)..]));
    }

    /// <summary>Fields from <paramref name="first"/> to the end, as written.</summary>
    public IReadOnlyList<string> Rest(int first)
    {
        if (first >= fields.Length)
        {
            return [];
        }

        var rest = new string[fields.Length - first];
        for (var i = 0; i < rest.Length; i++)
        {
            rest[i] = fields[first + i].Raw(line).ToString();
        }

        return rest;
    }

    /// <summary>
    /// The decimals ELB writes ("0.001", "12.5"): ASCII digits, at most one point, at most 15 digits. The digits
    /// form an integer a double holds exactly, and so does the power of ten, so one IEEE division rounds the
    /// quotient correctly: the same double <see cref="double.TryParse(string?, out double)"/> gives. Anything
    /// else is left to it.
    /// </summary>
    private static bool TryParseShortDecimal(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        long digits = 0;
        var digitCount = 0;
        var point = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits = (digits * 10) + (c - '0');
                digitCount++;
            }
            else if (c == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        if (digitCount is 0 or > 15)
        {
            return false;
        }

        value = point < 0 ? digits : digits / PowersOfTen[text.Length - point - 1];
        return true;
    }

    /// <summary>The parts of <paramref name="text"/> between separators, empty parts left out.</summary>
    private static string[] SplitNonEmpty(ReadOnlySpan<char> text, char separator)
    {
        var count = 0;
        foreach (var range in text.Split(separator))
        {
            count += range.End.Value > range.Start.Value ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var parts = new string[count];
        var next = 0;
        foreach (var range in text.Split(separator))
        {
            if (range.End.Value > range.Start.Value)
            {
                parts[next++] = text[range].ToString();
            }
        }

        return parts;
    }

    private static string? DashToNull(ReadOnlySpan<char> text) => text.IsEmpty || text is "-" ? null : Text(text);

    /// <summary>
    /// The value as a string; the few values most lines repeat (types, versions, methods, protocols, ciphers)
    /// come from constants instead of a new string per line.
    /// </summary>
    private static string Text(ReadOnlySpan<char> value) => value switch
    {
        "http" => "http",
        "https" => "https",
        "h2" => "h2",
        "grpcs" => "grpcs",
        "ws" => "ws",
        "wss" => "wss",
        "tls" => "tls",
        "1.0" => "1.0",
        "2.0" => "2.0",
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        "HTTP/1.0" => "HTTP/1.0",
        "HTTP/1.1" => "HTTP/1.1",
        "HTTP/2.0" => "HTTP/2.0",
        "TLSv1.2" => "TLSv1.2",
        "TLSv1.3" => "TLSv1.3",
        "tlsv12" => "tlsv12",
        "tlsv13" => "tlsv13",
        "ECDHE-RSA-AES128-GCM-SHA256" => "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384" => "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256" => "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_AES_128_GCM_SHA256" => "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384" => "TLS_AES_256_GCM_SHA384",
        _ => value.ToString(),
    };

    private static string ProblemWithQuotes(QuotedFieldShape shape) => shape switch
    {
        QuotedFieldShape.Glued => "has text glued to its closing quote (missing space)",
        QuotedFieldShape.Unterminated => "has no closing quote",
        _ => "should be double-quoted",
    };

    private void Fail(int index, string? name, string problem)
    {
        if (Error is not null && errorIndex <= index)
        {
            return;
        }

        errorIndex = index;
        var raw = fields[index].Raw(line);
        var shown = raw.Length > MaxQuotedInReason ? string.Concat(raw[..MaxQuotedInReason], "...") : raw.ToString();
        var label = name is null ? $"{kind} field {index + 1}" : $"{kind} field {index + 1} ({name})";
        Error = $"{label} {problem}: '{shown}'";
    }
}
