using System.Text;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// One document to create in <paramref name="Index"/> under <paramref name="Id"/>; <paramref name="Tag"/> is the caller's
/// (the sink keeps the Kafka record there) and comes back untouched in the <see cref="IndexResult"/>.
/// </summary>
public sealed record IndexRequest(string Index, string Id, ReadOnlyMemory<byte> Document, object? Tag = null)
{
    /// <summary>Bytes this request adds to a bulk body (action line, document, two newlines), JSON escapes aside.</summary>
    public long BulkBytes { get; } = Encoding.UTF8.GetByteCount(Index) + Encoding.UTF8.GetByteCount(Id) + 32 + Document.Length;
}

public enum IndexOutcome
{
    /// <summary>Elasticsearch created the document.</summary>
    Created,

    /// <summary>A document with this id was already there (409 on create): written before, so done.</summary>
    AlreadyExisted,

    /// <summary>Elasticsearch will never take this document; <see cref="IndexResult.ErrorType"/> says why.</summary>
    DeadLettered,
}

/// <summary>The final word on one <see cref="IndexRequest"/>; transient failures are retried and never reported.</summary>
public readonly record struct IndexResult(IndexRequest Request, IndexOutcome Outcome, string? ErrorType = null, string? ErrorReason = null)
{
    public bool IsWritten => Outcome != IndexOutcome.DeadLettered;
}
