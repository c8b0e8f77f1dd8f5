using Streams.Runtime;

namespace Streams.Connectors.Elasticsearch;

/// <summary>Where Elasticsearch is, how to reach it and how to batch writes; keys are "elasticsearch.*".</summary>
public sealed class ElasticsearchOptions
{
    public const string UrlsKey = "elasticsearch.urls";
    public const string ApiKeyKey = "elasticsearch.api.key";
    public const string UsernameKey = "elasticsearch.username";
    public const string PasswordKey = "elasticsearch.password";
    public const string CaCertificatePathKey = "elasticsearch.ca.certificate.path";
    public const string IndexPrefixKey = "elasticsearch.index.prefix";
    public const string BulkMaxDocsKey = "elasticsearch.bulk.max.docs";
    public const string BulkMaxBytesKey = "elasticsearch.bulk.max.bytes";
    public const string BulkLingerKey = "elasticsearch.bulk.linger.ms";
    public const string MaxInFlightRequestsKey = "elasticsearch.max.in.flight.requests";
    public const string RetryBackoffInitialKey = "elasticsearch.retry.backoff.initial.ms";
    public const string RetryBackoffMaxKey = "elasticsearch.retry.backoff.max.ms";
    public const string RequestTimeoutKey = "elasticsearch.request.timeout.ms";
    public const string CompressRequestsKey = "elasticsearch.compress.requests";
    public const string IlmDeleteAfterDaysKey = "elasticsearch.ilm.delete.after.days";
    public const string NumberOfShardsKey = "elasticsearch.number.of.shards";
    public const string NumberOfReplicasKey = "elasticsearch.number.of.replicas";

    /// <summary>One or more node URLs; requests go round-robin over them.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [new Uri("http://localhost:9200")];

    /// <summary>The base64 "id:key" credential Elasticsearch returns as "encoded"; sent as "Authorization: ApiKey …".</summary>
    public string? ApiKey { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>A PEM or DER CA certificate that server certificates must chain to (self-managed clusters).</summary>
    public string? CaCertificatePath { get; init; }

    public string IndexPrefix { get; init; } = "curated";

    public int BulkMaxDocs { get; init; } = 2000;

    public long BulkMaxBytes { get; init; } = 5 * 1024 * 1024;

    public TimeSpan BulkLinger { get; init; } = TimeSpan.FromMilliseconds(50);

    public int MaxInFlightRequests { get; init; } = 2;

    public TimeSpan RetryBackoffInitial { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool CompressRequests { get; init; } = true;

    public int IlmDeleteAfterDays { get; init; } = 30;

    public int NumberOfShards { get; init; } = 1;

    public int NumberOfReplicas { get; init; } = 1;

    /// <summary>The ILM policy every curated index shares.</summary>
    public string IlmPolicyName => IndexPrefix + "-retention";

    public static ElasticsearchOptions FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var settings = new Settings(properties);
        var options = new ElasticsearchOptions
        {
            Urls = properties.TryGetValue(UrlsKey, out var urls) ? ParseUrls(urls) : [new Uri("http://localhost:9200")],
            ApiKey = properties.GetValueOrDefault(ApiKeyKey),
            Username = properties.GetValueOrDefault(UsernameKey),
            Password = properties.GetValueOrDefault(PasswordKey),
            CaCertificatePath = properties.GetValueOrDefault(CaCertificatePathKey),
            IndexPrefix = properties.GetValueOrDefault(IndexPrefixKey) ?? "curated",
            BulkMaxDocs = (int)settings.Number(BulkMaxDocsKey, 2000, 1, 1_000_000),
            BulkMaxBytes = settings.Number(BulkMaxBytesKey, 5 * 1024 * 1024, 1024, 1L << 31),
            BulkLinger = TimeSpan.FromMilliseconds(settings.Number(BulkLingerKey, 50, 0, 60_000)),
            MaxInFlightRequests = (int)settings.Number(MaxInFlightRequestsKey, 2, 1, 64),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(settings.Number(RetryBackoffInitialKey, 100, 1, 600_000)),
            RetryBackoffMax = TimeSpan.FromMilliseconds(settings.Number(RetryBackoffMaxKey, 30_000, 1, 3_600_000)),
            RequestTimeout = TimeSpan.FromMilliseconds(settings.Number(RequestTimeoutKey, 60_000, 100, 3_600_000)),
            CompressRequests = settings.Flag(CompressRequestsKey, true),
            IlmDeleteAfterDays = (int)settings.Number(IlmDeleteAfterDaysKey, 30, 1, 36_500),
            NumberOfShards = (int)settings.Number(NumberOfShardsKey, 1, 1, 1024),
            NumberOfReplicas = (int)settings.Number(NumberOfReplicasKey, 1, 0, 64),
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the combination of settings; throws naming the offending key.</summary>
    public void Validate()
    {
        if (Urls.Count == 0)
        {
            throw new StreamsConfigException(UrlsKey, "needs at least one URL");
        }

        foreach (var url in Urls)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new StreamsConfigException(UrlsKey, $"'{url}' must be an absolute http or https URL");
            }
        }

        if (ApiKey is not null && (Username is not null || Password is not null))
        {
            throw new StreamsConfigException(ApiKeyKey, $"cannot be combined with {UsernameKey}/{PasswordKey}; choose one way to authenticate");
        }

        if ((Username is null) != (Password is null))
        {
            throw new StreamsConfigException(Username is null ? UsernameKey : PasswordKey, $"is required when {(Username is null ? PasswordKey : UsernameKey)} is set");
        }

        if (CaCertificatePath is not null && !File.Exists(CaCertificatePath))
        {
            throw new StreamsConfigException(CaCertificatePathKey, $"'{CaCertificatePath}' does not exist");
        }

        if (string.IsNullOrWhiteSpace(IndexPrefix) || IndexPrefix.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')))
        {
            throw new StreamsConfigException(IndexPrefixKey, $"'{IndexPrefix}' must be lower-case ASCII letters, digits, '.', '_' or '-' (Elasticsearch index names)");
        }

        Positive(BulkMaxDocs, BulkMaxDocsKey);
        Positive(BulkMaxBytes, BulkMaxBytesKey);
        Positive(MaxInFlightRequests, MaxInFlightRequestsKey);
        Positive(IlmDeleteAfterDays, IlmDeleteAfterDaysKey);
        Positive(NumberOfShards, NumberOfShardsKey);
        if (NumberOfReplicas < 0)
        {
            throw new StreamsConfigException(NumberOfReplicasKey, "must not be negative");
        }

        if (BulkLinger < TimeSpan.Zero)
        {
            throw new StreamsConfigException(BulkLingerKey, "must not be negative");
        }

        if (RetryBackoffInitial <= TimeSpan.Zero || RetryBackoffMax < RetryBackoffInitial)
        {
            throw new StreamsConfigException(RetryBackoffMaxKey, $"must be at least {RetryBackoffInitialKey}, which must be positive");
        }
    }

    private static void Positive(long value, string key)
    {
        if (value < 1)
        {
            throw new StreamsConfigException(key, "must be at least 1");
        }
    }

    private static List<Uri> ParseUrls(string raw)
    {
        var urls = new List<Uri>();
        foreach (var part in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri))
            {
                throw new StreamsConfigException(UrlsKey, $"'{part}' is not an absolute URL");
            }

            urls.Add(uri);
        }

        return urls;
    }
}
