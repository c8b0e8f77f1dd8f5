using System.Globalization;
using System.IO.Compression;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Streams.Connectors.Elb;

namespace Streams.Connectors.Tests.Elb;

/// <summary>Where a test puts access-log objects, and the store and options that read them back.</summary>
internal interface ILogBucket : IAsyncDisposable
{
    ElbSourceOptions Options { get; }

    void Put(string key, byte[] bytes);

    IObjectStore OpenStore();
}

/// <summary>A local copy of a bucket; files are written aside and renamed into place, as <c>aws s3 sync</c> does.</summary>
internal sealed class DirectoryLogBucket : ILogBucket
{
    private readonly string _root = Directory.CreateTempSubdirectory("elb-logs-").FullName;

    public DirectoryLogBucket(string prefix = "")
    {
        Options = new ElbSourceOptions { Source = ElbSourceKind.Directory, Directory = _root, Prefix = prefix, PollInterval = TimeSpan.FromMilliseconds(30) };
    }

    public ElbSourceOptions Options { get; }

    public string Root => _root;

    public void Put(string key, byte[] bytes)
    {
        var path = Path.Combine(_root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".part-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path);
    }

    public IObjectStore OpenStore() => new DirectoryObjectStore(_root, "test-host");

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A bucket in the <see cref="S3Double"/>, read by the AWS SDK's own client pointed at it.</summary>
internal sealed class S3LogBucket : ILogBucket
{
    public const string Bucket = "elb-access-logs";

    private S3LogBucket(S3Double s3, string prefix, int pageSize)
    {
        S3 = s3;
        Options = new ElbSourceOptions
        {
            Source = ElbSourceKind.S3,
            Bucket = Bucket,
            Prefix = prefix,
            Region = "eu-central-1",
            ServiceUrl = s3.Url,
            ListPageSize = pageSize,
            PollInterval = TimeSpan.FromMilliseconds(30),
        };
    }

    public S3Double S3 { get; }

    public ElbSourceOptions Options { get; }

    public static async Task<S3LogBucket> StartAsync(string prefix = "", int pageSize = 3)
    {
        var s3 = await S3Double.StartAsync();
        s3.CreateBucket(Bucket);
        return new S3LogBucket(s3, prefix, pageSize);
    }

    public void Put(string key, byte[] bytes) => S3.Put(Bucket, key, bytes);

    public IObjectStore OpenStore() =>
        new S3ObjectStore(new AmazonS3Client(new BasicAWSCredentials("test-access-key", "test-secret-key"), S3ObjectStore.ClientConfig(Options)), Bucket, Options.ListPageSize);

    public ValueTask DisposeAsync() => S3.DisposeAsync();
}

/// <summary>Keys in the layout AWS load balancers write, and real log lines from tests/corpus.</summary>
internal static class ElbLogs
{
    public const string Account = "123456789012";

    public static string Folder(string prefix, string region) =>
        (prefix.Length > 0 ? prefix.Trim('/') + "/" : string.Empty) + $"AWSLogs/{Account}/elasticloadbalancing/{region}/";

    /// <summary>An object key; <paramref name="minute"/> counts from 2026-11-26 00:00 UTC and orders the keys of one load balancer.</summary>
    public static string Key(string prefix, string region, ElbKind kind, int minute)
    {
        var end = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc).AddMinutes(minute);
        var day = end.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        var time = end.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
        var name = kind switch
        {
            ElbKind.Application => $"app.my-loadbalancer.50dc6c495c0c9188_{time}_10.0.0.1_2soosksgvd.log.gz",
            ElbKind.Network => $"net.my-network-loadbalancer.c6e77e28c25b2234_{time}_6b9b2c3f.log.gz",
            _ => $"my-loadbalancer_{time}_10.0.0.2.log",
        };
        return Folder(prefix, region) + day + "/" + $"{Account}_elasticloadbalancing_{region}_" + name;
    }

    /// <summary>The log lines of a corpus sample, without its provenance comment.</summary>
    public static IReadOnlyList<string> Corpus(ElbKind kind) => File.ReadAllLines(CorpusFile(kind switch
    {
        ElbKind.Application => "elb-alb.log",
        ElbKind.Network => "elb-nlb.log",
        _ => "elb-classic.log",
    })).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>The object bytes as the load balancer writes them: gzip for ALB and NLB, plain text for Classic.</summary>
    public static byte[] Encode(ElbKind kind, IEnumerable<string> lines)
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        return kind == ElbKind.Classic ? text : Gzip(text);
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static string CorpusFile(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/corpus/{name} not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
