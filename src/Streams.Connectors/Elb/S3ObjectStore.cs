using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Streams.Connectors.Elb;

/// <summary>
/// A bucket read with ListObjectsV2 (paged by continuation token, resumed with StartAfter) and GetObject.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly int _pageSize;
    private readonly bool _ownsClient;

    public S3ObjectStore(IAmazonS3 client, string bucket, int pageSize = 1000, bool ownsClient = true)
    {
        _client = client;
        _bucket = bucket;
        _pageSize = pageSize;
        _ownsClient = ownsClient;
    }

    public string Origin => "s3://" + _bucket;

    public string Container => _bucket;

    /// <summary>A client for the options' region or endpoint, with the default credential chain (environment, profile, task role).</summary>
    public static S3ObjectStore Create(ElbSourceOptions options) =>
        new(new AmazonS3Client(ClientConfig(options)), options.Bucket!, options.ListPageSize);

    /// <summary>
    /// The client settings: the region, or a custom endpoint (path-style addressing unless told otherwise). Checksums
    /// are computed and validated only where S3 requires them, as S3-compatible stores do not all send them.
    /// </summary>
    public static AmazonS3Config ClientConfig(ElbSourceOptions options)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region;
            config.ForcePathStyle = options.ForcePathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
            config.ForcePathStyle = options.ForcePathStyle ?? false;
        }

        return config;
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/", ContinuationToken = token, MaxKeys = _pageSize },
                cancellationToken);
            foreach (var folder in page.CommonPrefixes ?? [])
            {
                yield return folder;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = _pageSize };
            if (token is not null)
            {
                request.ContinuationToken = token;
            }
            else if (startAfter is not null)
            {
                request.StartAfter = startAfter;
            }

            var page = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return new StoredObject(o.Key, o.Size ?? 0);
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}
