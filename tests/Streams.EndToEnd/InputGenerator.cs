using System.Globalization;
using System.IO.Compression;
using System.Text;
using Streams.Connectors.Elb;

namespace Streams.EndToEnd;

/// <summary>
/// Input drawn from a seed, written in chunks while the pipeline runs: valid Laravel entries and MongoDB JSON lines
/// with events from now, yesterday and tomorrow (clock skew), exact duplicates, malformed lines, binary garbage,
/// invalid UTF-8 and one 5 MB line; load balancer access-log objects (ALB and NLB gzip, Classic plain text, as AWS
/// writes them) with the same kinds of lines and one object whose gzip header is damaged; SQL statements for MariaDB,
/// some of them with a password to redact. Each chunk starts with a whole entry, so a reader that flushes an entry
/// after an idle pause sees the same entries as one that reads the finished file.
/// </summary>
internal sealed class InputGenerator
{
    public const int FiveMegabytes = 5 * 1024 * 1024;

    /// <summary>The prefix of every password the SQL statements insert: no curated record may contain it.</summary>
    public const string MysqlSecretPrefix = "s3cr3t-";

    private static readonly DateTime Base = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
    private readonly Random _random;
    private readonly List<byte[]>[] _laravelChunks;
    private readonly List<byte[]>[] _mongodbChunks;
    private readonly bool _fiveMegabyteLine;
    private readonly List<(string Key, byte[] Bytes)>[] _elbChunks;
    private readonly List<string>[] _mysqlChunks;

    /// <param name="fiveMegabyteLine">Whether the MongoDB file gets one 5 MB line (larger than a Kafka record may be).</param>
    public InputGenerator(int seed, int chunks, int entriesPerSource, bool fiveMegabyteLine = false)
    {
        _random = new Random(seed);
        _fiveMegabyteLine = fiveMegabyteLine;
        _laravelChunks = Split(Laravel(entriesPerSource), chunks);
        _mongodbChunks = Split(Mongodb(entriesPerSource), chunks);
        _elbChunks = ElbObjects(entriesPerSource, chunks);
        _mysqlChunks = Split(MysqlStatements(seed, entriesPerSource / 2), chunks);
        Chunks = chunks;
    }

    public int Chunks { get; }

    /// <summary>
    /// Appends chunk <paramref name="index"/> of each source: lines to the Laravel and MongoDB files, new objects to the
    /// load balancer log directory (each key sorting after the keys already there), statements run on MariaDB.
    /// </summary>
    public async Task AppendChunkAsync(int index, PipelineUnderTest pipeline)
    {
        Append(pipeline.LaravelPath, _laravelChunks[index]);
        Append(pipeline.MongodbPath, _mongodbChunks[index]);
        foreach (var (key, bytes) in _elbChunks[index])
        {
            pipeline.PutElbObject(key, bytes);
        }

        await pipeline.ExecuteSqlAsync(_mysqlChunks[index]);
    }

    private static void Append(string path, List<byte[]> entries)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        foreach (var entry in entries)
        {
            file.Write(entry);
        }
    }

    private static List<T>[] Split<T>(List<T> entries, int chunks)
    {
        var result = Enumerable.Range(0, chunks).Select(_ => new List<T>()).ToArray();
        for (var i = 0; i < entries.Count; i++)
        {
            result[i * chunks / entries.Count].Add(entries[i]);
        }

        return result;
    }

    private DateTime When(int i) => When(i, TimeSpan.FromDays(1));

    /// <summary>Now, or <paramref name="skew"/> before or after it.</summary>
    private DateTime When(int i, TimeSpan skew) => _random.Next(10) switch
    {
        0 => Base.Add(-skew).AddSeconds(i),
        1 => Base.Add(skew).AddSeconds(i),
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

    private static readonly (ElbKind Kind, string Region)[] ElbFolders =
        [(ElbKind.Application, "eu-west-1"), (ElbKind.Network, "us-east-2"), (ElbKind.Classic, "ap-southeast-2")];

    /// <summary>
    /// Per chunk, one object per region folder (one kind of load balancer each), named for the end of its 5 minutes
    /// so that every object sorts after those of earlier chunks; one chunk also gets an ALB or NLB object with a
    /// damaged gzip header, which sorts after that chunk's good object of the folder.
    /// </summary>
    private List<(string Key, byte[] Bytes)>[] ElbObjects(int count, int chunks)
    {
        var result = Enumerable.Range(0, chunks).Select(_ => new List<(string, byte[])>()).ToArray();
        var damagedChunk = _random.Next(chunks);
        var damagedFolder = _random.Next(2);
        for (var f = 0; f < ElbFolders.Length; f++)
        {
            var (kind, region) = ElbFolders[f];
            var lines = Split(ElbLines(kind, count / ElbFolders.Length), chunks);
            for (var c = 0; c < chunks; c++)
            {
                result[c].Add((ElbKey(kind, region, c * 10), ElbObject(kind, lines[c])));
                if (c == damagedChunk && f == damagedFolder)
                {
                    var damaged = ElbObject(kind, [.. ElbLines(kind, 3)]);
                    damaged[0] = (byte)'X';
                    damaged[1] = (byte)'X';
                    result[c].Add((ElbKey(kind, region, (c * 10) + 5), damaged));
                }
            }
        }

        return result;
    }

    private static string ElbKey(ElbKind kind, string region, int minute)
    {
        const string account = "123456789012";
        var end = Base.AddMinutes(minute);
        var time = end.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
        var name = kind switch
        {
            ElbKind.Application => $"app.shop-alb.50dc6c495c0c9188_{time}_10.0.0.1_2soosksgvd.log.gz",
            ElbKind.Network => $"net.shop-nlb.c6e77e28c25b2234_{time}_6b9b2c3f.log.gz",
            _ => $"shop-classic_{time}_10.0.0.2.log",
        };
        return $"AWSLogs/{account}/elasticloadbalancing/{region}/{end.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}/{account}_elasticloadbalancing_{region}_{name}";
    }

    private static byte[] ElbObject(ElbKind kind, List<byte[]> lines)
    {
        var text = Concat([.. lines]);
        if (kind == ElbKind.Classic)
        {
            return text;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(text);
        }

        return buffer.ToArray();
    }

    private List<byte[]> ElbLines(ElbKind kind, int count)
    {
        var entries = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            // The elb connector reads its region folders in turns, in an order that depends on when objects appear.
            // Event times spanning less than the dedup window (48 h behind the partition's stream time) keep that
            // order from changing which duplicates are remembered; 20 h either way still lands in three daily indices.
            var time = When(i, TimeSpan.FromHours(20));
            var port = 1024 + _random.Next(60000);
            var valid = ElbLine(kind, time, port, i);
            var entry = _random.Next(12) switch
            {
                0 => Concat(Utf8("garbage "), Garbage(), Utf8("\n")),
                1 => Utf8(valid[..(valid.Length / 2)] + "\n"),
                2 => Concat(Utf8(valid.Replace("curl/7.46.0", "curl/", StringComparison.Ordinal)), [0xC3, 0x28], Utf8("\n")),
                3 => Utf8($"not an access log line {i}\n"),
                _ => Utf8(valid + "\n"),
            };
            entries.Add(entry);
            if (_random.Next(8) == 0)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static string ElbLine(ElbKind kind, DateTime time, int port, int i)
    {
        var micros = time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return kind switch
        {
            ElbKind.Application =>
                $"https {micros} app/shop-alb/50dc6c495c0c9188 192.168.131.39:{port} 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "
                + $"\"GET https://www.example.com:443/items/{i}?token=tk-{i} HTTP/1.1\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
                + "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 "
                + $"\"Root=1-58337281-{i:x24}\" \"www.example.com\" \"-\" 1 {micros} \"forward\" \"-\" \"-\"",
            ElbKind.Network =>
                $"tls 1.0 {time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)} net/shop-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd "
                + $"89.160.20.112:{port} 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 "
                + "- ECDHE-RSA-AES128-SHA tlsv12 - shop-nlb-c6e77e28c25b2234.elb.us-east-2.amazonaws.com",
            _ =>
                $"{micros} shop-classic 192.168.131.39:{port} 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "
                + $"\"GET http://www.example.com:80/items/{i} HTTP/1.1\" \"curl/7.46.0\" - -",
        };
    }

    /// <summary>
    /// Statements on a table with a password column (the literals must not reach an index), some run twice; a run twice is
    /// two rows of the general log, two events.
    /// </summary>
    private List<string> MysqlStatements(int seed, int count)
    {
        var statements = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var statement = (i == 1 ? 0 : _random.Next(4)) switch
            {
                0 => $"INSERT INTO users (name, password) VALUES ('user-{i}', '{MysqlSecret(seed, i)}')",
                1 => $"UPDATE users SET name = 'Zoë-{i}' WHERE id = {_random.Next(1, i + 1)}",
                _ => $"SELECT id, name FROM users WHERE id = {_random.Next(1, i + 1)}",
            };
            statements.Add(statement);
            if (_random.Next(8) == 0)
            {
                statements.Add(statement);
            }
        }

        return statements;
    }

    private static string MysqlSecret(int seed, int i) => string.Create(CultureInfo.InvariantCulture, $"{MysqlSecretPrefix}{seed}-{i}");

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
