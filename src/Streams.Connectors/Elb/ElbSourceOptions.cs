using System.Globalization;
using Streams.Runtime;

namespace Streams.Connectors.Elb;

/// <summary>Where the access logs are read from.</summary>
public enum ElbSourceKind
{
    /// <summary>A bucket, with ListObjectsV2 and GetObject.</summary>
    S3,

    /// <summary>A local copy of a bucket (<c>aws s3 sync</c>).</summary>
    Directory,
}

/// <summary>What the elb connector reads; <see cref="Validate"/> names the key of the first wrong setting.</summary>
public sealed record ElbSourceOptions
{
    public const string SourceKey = "elb.source";
    public const string DirectoryKey = "elb.directory";
    public const string BucketKey = "s3.bucket";
    public const string PrefixKey = "s3.prefix";
    public const string RegionKey = "s3.region";
    public const string ServiceUrlKey = "s3.service.url";
    public const string ForcePathStyleKey = "s3.force.path.style";
    public const string ListPageSizeKey = "s3.list.max.keys";
    public const string PollIntervalKey = "poll.interval.ms";
    public const string DeadLetterMaxBytesKey = "elb.dlq.max.bytes";

    /// <summary>elb.source: s3 or directory.</summary>
    public ElbSourceKind Source { get; init; } = ElbSourceKind.S3;

    /// <summary>elb.directory: the local copy's root, the directory that plays the bucket (directory mode).</summary>
    public string? Directory { get; init; }

    /// <summary>s3.bucket: the bucket the load balancers write to (s3 mode).</summary>
    public string? Bucket { get; init; }

    /// <summary>s3.prefix: the prefix the load balancers were given, before <c>AWSLogs/</c>; empty for none. Used in both modes.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>s3.region: the bucket's region; also the signing region of a custom endpoint.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>s3.service.url: a custom endpoint (an S3-compatible store) instead of the region's.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>s3.force.path.style: path-style addressing; by default on for a custom endpoint, off for AWS.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>s3.list.max.keys: keys per ListObjectsV2 page.</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>poll.interval.ms: the least time between two listings once everything listed has been read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>elb.dlq.max.bytes: most bytes of a corrupt object kept in its dead letter (the rest is cut).</summary>
    public int DeadLetterMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>The prefix as a folder: empty, or ending in exactly one '/'.</summary>
    public string PrefixFolder => Prefix.Trim('/') is { Length: > 0 } p ? p + "/" : string.Empty;

    /// <summary>Reads the keys above from connector properties.</summary>
    public static ElbSourceOptions FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var settings = new Settings(properties);
        var defaults = new ElbSourceOptions();
        var options = new ElbSourceOptions
        {
            Source = settings.Choice(SourceKey, ElbSourceKind.S3, new Dictionary<string, ElbSourceKind> { ["s3"] = ElbSourceKind.S3, ["directory"] = ElbSourceKind.Directory }),
            Directory = settings.Text(DirectoryKey),
            Bucket = settings.Text(BucketKey),
            Prefix = settings.Text(PrefixKey) ?? string.Empty,
            Region = settings.Text(RegionKey) ?? defaults.Region,
            ServiceUrl = settings.Text(ServiceUrlKey) is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : throw new StreamsConfigException(ServiceUrlKey, $"'{url}' must be an absolute http(s) URL")
                : null,
            ForcePathStyle = settings.Has(ForcePathStyleKey) ? settings.Flag(ForcePathStyleKey, false) : null,
            ListPageSize = settings.Integer(ListPageSizeKey, defaults.ListPageSize, int.MinValue, int.MaxValue),
            PollInterval = settings.Millis(PollIntervalKey, defaults.PollInterval, TimeSpan.Zero, TimeSpan.FromMilliseconds(int.MaxValue)),
            DeadLetterMaxBytes = settings.Integer(DeadLetterMaxBytesKey, defaults.DeadLetterMaxBytes, int.MinValue, int.MaxValue),
        };
        return options.Validate();
    }

    public ElbSourceOptions Validate()
    {
        if (Source == ElbSourceKind.Directory && (string.IsNullOrWhiteSpace(Directory) || !Path.IsPathFullyQualified(Directory)))
        {
            throw new StreamsConfigException(DirectoryKey, "must be an absolute directory when elb.source is directory");
        }

        if (Source == ElbSourceKind.S3 && (string.IsNullOrWhiteSpace(Bucket) || Bucket.Contains('/', StringComparison.Ordinal)))
        {
            throw new StreamsConfigException(BucketKey, "must name a bucket (no '/', the prefix goes in s3.prefix) when elb.source is s3");
        }

        if (Prefix.Contains("AWSLogs/", StringComparison.Ordinal) || Prefix.Contains("//", StringComparison.Ordinal))
        {
            throw new StreamsConfigException(PrefixKey, "must be the prefix before AWSLogs/ (without AWSLogs/ itself) and have no empty segment");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            throw new StreamsConfigException(RegionKey, "must name a region such as eu-west-1");
        }

        if (ServiceUrl is not null && (!ServiceUrl.IsAbsoluteUri || ServiceUrl.Scheme is not ("http" or "https")))
        {
            throw new StreamsConfigException(ServiceUrlKey, "must be an absolute http(s) URL");
        }

        if (ListPageSize is < 1 or > 1000)
        {
            throw new StreamsConfigException(ListPageSizeKey, "must be between 1 and 1000");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromHours(1))
        {
            throw new StreamsConfigException(PollIntervalKey, "must be between 1 ms and one hour");
        }

        if (DeadLetterMaxBytes is < 0 or > 16 * 1024 * 1024)
        {
            throw new StreamsConfigException(DeadLetterMaxBytesKey, "must be between 0 and 16777216");
        }

        return this;
    }
}
