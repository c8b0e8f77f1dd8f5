using System.Globalization;
using System.Text;

namespace Streams.EndToEnd;

/// <summary>
/// Log files drawn from a seed, written in chunks while the pipeline runs: valid Laravel entries and MongoDB JSON lines
/// with events from now, yesterday and tomorrow (clock skew), exact duplicates, malformed lines, binary garbage,
/// invalid UTF-8 and one 5 MB line. Each chunk starts with a whole entry, so a reader that flushes an entry after an
/// idle pause sees the same entries as one that reads the finished file.
/// </summary>
internal sealed class InputGenerator
{
    public const int FiveMegabytes = 5 * 1024 * 1024;

    private static readonly DateTime Base = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
    private readonly Random _random;
    private readonly List<byte[]>[] _laravelChunks;
    private readonly List<byte[]>[] _mongodbChunks;
    private readonly bool _fiveMegabyteLine;

    /// <param name="fiveMegabyteLine">Whether the MongoDB file gets one 5 MB line (larger than a Kafka record may be).</param>
    public InputGenerator(int seed, int chunks, int entriesPerSource, bool fiveMegabyteLine = false)
    {
        _random = new Random(seed);
        _fiveMegabyteLine = fiveMegabyteLine;
        _laravelChunks = Split(Laravel(entriesPerSource), chunks);
        _mongodbChunks = Split(Mongodb(entriesPerSource), chunks);
        Chunks = chunks;
    }

    public int Chunks { get; }

    /// <summary>Appends chunk <paramref name="index"/> of each source to its file.</summary>
    public void AppendChunk(int index, string laravelPath, string mongodbPath)
    {
        Append(laravelPath, _laravelChunks[index]);
        Append(mongodbPath, _mongodbChunks[index]);
    }

    private static void Append(string path, List<byte[]> entries)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        foreach (var entry in entries)
        {
            file.Write(entry);
        }
    }

    private static List<byte[]>[] Split(List<byte[]> entries, int chunks)
    {
        var result = Enumerable.Range(0, chunks).Select(_ => new List<byte[]>()).ToArray();
        for (var i = 0; i < entries.Count; i++)
        {
            result[i * chunks / entries.Count].Add(entries[i]);
        }

        return result;
    }

    private DateTime When(int i) => _random.Next(10) switch
    {
        0 => Base.AddDays(-1).AddSeconds(i),
        1 => Base.AddDays(1).AddSeconds(i),
        _ => Base.AddSeconds(i),
    };

    private List<byte[]> Laravel(int count)
    {
        // A line before the first entry header is an entry of its own that no parser accepts.
        var entries = new List<byte[]> { Utf8("this is not a laravel entry at all\n") };
        for (var i = 0; i < count; i++)
        {
            var time = When(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var entry = _random.Next(12) switch
            {
                0 => Concat(Utf8($"[{time}] production.WARNING: invalid bytes "), [0xC3, 0x28, 0xFF], Utf8($" in entry {i}\n")),
                1 => Utf8($"[{time}] production.ERROR: failed {i} {{\"exception\":\"[object] (RuntimeException(code: 0))\"}}\n[stacktrace]\n#0 /var/www/app.php(12): run()\n"),
                2 => Utf8($"[{time}] not-a-level-line {i}\n"),
                _ => Utf8($"[{time}] production.INFO: Request handled {{\"request_id\":\"req-{i}\",\"status\":200}}\n"),
            };
            entries.Add(entry);
            if (_random.Next(8) == 0)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private List<byte[]> Mongodb(int count)
    {
        var entries = new List<byte[]>();
        var huge = _random.Next(count);
        for (var i = 0; i < count; i++)
        {
            var time = When(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);
            var entry = _random.Next(12) switch
            {
                0 => Utf8("{\"t\":{\"$date\":\"" + time + "\"},\"s\":\"I\", broken json " + i + "\n"),
                1 => Concat(Garbage(), Utf8("\n")),
                2 => Concat(Utf8("{\"t\":{\"$date\":\"" + time + "\"},\"s\":\"W\",\"c\":\"NETWORK\",\"id\":22943,\"ctx\":\"conn\",\"msg\":\"bad "), [0xC3, 0x28], Utf8("\",\"attr\":{\"n\":" + i + "}}\n")),
                _ => Utf8("{\"t\":{\"$date\":\"" + time + "\"},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":22943,\"ctx\":\"listener\",\"msg\":\"Connection accepted\",\"attr\":{\"n\":" + i + "}}\n"),
            };
            entries.Add(entry);
            if (_random.Next(8) == 0)
            {
                entries.Add(entry);
            }

            if (_fiveMegabyteLine && i == huge)
            {
                entries.Add(Concat(Utf8("{\"t\":{\"$date\":\"" + time + "\"},\"msg\":\""), Enumerable.Repeat((byte)'x', FiveMegabytes).ToArray(), Utf8("\n")));
            }
        }

        return entries;
    }

    /// <summary>Random bytes with no line feed (NULs and invalid UTF-8 included).</summary>
    private byte[] Garbage()
    {
        var bytes = new byte[_random.Next(8, 200)];
        _random.NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is (byte)'\n' or (byte)'\r')
            {
                bytes[i] = 0;
            }
        }

        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
