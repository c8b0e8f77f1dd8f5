using System.Text;
using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

internal static class TestTargets
{
    public static ElasticsearchOptions OptionsFor(ElasticsearchDouble es, int maxDocs = 100, long maxBytes = 5 * 1024 * 1024, int lingerMs = 10) => new()
    {
        Urls = [es.Url],
        BulkMaxDocs = maxDocs,
        BulkMaxBytes = maxBytes,
        BulkLinger = TimeSpan.FromMilliseconds(lingerMs),
        RetryBackoffInitial = TimeSpan.FromMilliseconds(5),
        RetryBackoffMax = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public static IndexRequest Doc(string id, string json = """{"message":"hello"}""", string index = "curated-nginx-2026.11.26") =>
        new(index, id, Encoding.UTF8.GetBytes(json));

    /// <summary>Reads <paramref name="count"/> results, failing the test if they do not arrive in time.</summary>
    public static async Task<List<IndexResult>> ResultsAsync(IIndexTarget target, int count, int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var results = new List<IndexResult>();
        try
        {
            while (results.Count < count)
            {
                results.Add(await target.Results.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"only {results.Count} of {count} results within {timeoutSeconds} s");
        }

        return results;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="what"/> otherwise.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting until {what}");
            }

            await Task.Delay(10);
        }
    }
}
