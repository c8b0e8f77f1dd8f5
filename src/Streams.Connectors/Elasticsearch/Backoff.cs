namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// The one retry delay policy of the Elasticsearch connector: exponential from <c>initial</c>, capped at <c>max</c>,
/// with "equal jitter" (half fixed, half random) so that many writers backing off do not retry in step.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    public static Backoff From(ElasticsearchOptions options) => new(options.RetryBackoffInitial, options.RetryBackoffMax);

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var exponent = Math.Min(attempt, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + (Random.Shared.NextDouble() * half));
    }

    public Task WaitAsync(int attempt, CancellationToken cancellationToken) => Task.Delay(DelayFor(attempt), cancellationToken);
}
