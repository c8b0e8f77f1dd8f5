using System.Threading.Channels;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// Somewhere documents go: Elasticsearch (<see cref="BulkIndexer"/>) or NDJSON files (<see cref="NdjsonFileTarget"/>).
/// Every accepted request eventually yields exactly one <see cref="IndexResult"/> on <see cref="Results"/>, unless the
/// target is disposed first; results may come in any order.
/// </summary>
public interface IIndexTarget : IAsyncDisposable
{
    ChannelReader<IndexResult> Results { get; }

    /// <summary>Queues a request; waits when the target is full, which is how back-pressure reaches the caller.</summary>
    ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken);

    /// <summary>Completes when every request added before the call has its result on <see cref="Results"/>.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
