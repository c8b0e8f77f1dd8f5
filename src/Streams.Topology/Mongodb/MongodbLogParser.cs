using System.Buffers;
using System.Text;
using Streams.Topology.Parsing;

namespace Streams.Topology.Mongodb;

/// <summary>
/// Parses one mongod log line, structured JSON (4.4+) or legacy text (up to 4.2), telling them apart by
/// the first non-space character: '{' is JSON. Pure; never throws on data.
/// </summary>
public static class MongodbLogParser
{
    /// <summary>Lines up to this many UTF-8 bytes are transcoded on the stack, longer ones in a pooled buffer.</summary>
    private const int StackTranscodeLimit = 1024;

    /// <summary>Far above any line mongod writes (a BSON document is at most 16 MB); bounds the transcode buffer.</summary>
    private const int MaxLineChars = 32 * 1024 * 1024;

    public static ParseResult<MongodbLogEntry> Parse(string? line, MongodbCtimeContext? ctime = null) =>
        line is null ? ParseResult<MongodbLogEntry>.Fail("MongoDB line is null") : Parse(line.AsSpan(), ctime);

    /// <summary>Parses UTF-8 bytes as read from a log file or topic; invalid UTF-8 is rejected, not replaced.</summary>
    public static ParseResult<MongodbLogEntry> Parse(ReadOnlySpan<byte> utf8Line, MongodbCtimeContext? ctime = null)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Line))
        {
            return ParseResult<MongodbLogEntry>.Fail("MongoDB line is not valid UTF-8");
        }

        var trimmed = utf8Line.TrimStart(" \t"u8);
        if (!trimmed.IsEmpty && trimmed[0] == (byte)'{')
        {
            return MongodbJsonLogParser.Parse(trimmed);
        }

        return Parse(Encoding.UTF8.GetString(utf8Line).AsSpan(), ctime);
    }

    /// <param name="line">One line of the log, without or with its line break.</param>
    /// <param name="ctime">Year and offset for ctime times, which lack both; without it such lines fail.</param>
    public static ParseResult<MongodbLogEntry> Parse(ReadOnlySpan<char> line, MongodbCtimeContext? ctime = null)
    {
        line = line.Trim(" \t\r\n");
        if (line.IsEmpty)
        {
            return ParseResult<MongodbLogEntry>.Fail("MongoDB line is empty");
        }

        if (line.Length > MaxLineChars)
        {
            return ParseResult<MongodbLogEntry>.Fail($"MongoDB line has {line.Length} characters, more than the {MaxLineChars} accepted");
        }

        if (line[0] != '{')
        {
            return MongodbLegacyLogParser.Parse(line, ctime);
        }

        // The JSON reader works on UTF-8; a lone UTF-16 surrogate becomes U+FFFD on the way.
        var length = Encoding.UTF8.GetMaxByteCount(line.Length);
        byte[]? rented = null;
        var buffer = length <= StackTranscodeLimit ? stackalloc byte[StackTranscodeLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(line, buffer);
            return MongodbJsonLogParser.Parse(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
