using Avro.Specific;

namespace Streams.Connectors.Framework;

/// <summary>One record a source task read: its Kafka key and value, and where it came from in the source.</summary>
/// <param name="SourcePartition">What the offset is kept per (a file, a table); part of the offsets topic key.</param>
/// <param name="SourceOffset">Where to resume in <paramref name="SourcePartition"/> once this record is committed.</param>
public sealed record SourceRecord<TValue, TOffset>(string Key, TValue Value, string SourcePartition, TOffset SourceOffset)
    where TValue : ISpecificRecord;

/// <summary>
/// Reads a source, as Kafka Connect's SourceTask does: started with the offsets last committed per source partition,
/// then polled for batches. The runner commits each batch with its offsets in one transaction.
/// </summary>
public interface ISourceTask<TValue, TOffset> : IAsyncDisposable
    where TValue : ISpecificRecord
{
    /// <summary>(Re)starts reading from <paramref name="committedOffsets"/>, forgetting anything read but not committed.</summary>
    ValueTask StartAsync(IReadOnlyDictionary<string, TOffset> committedOffsets, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxRecords"/> records in source order; empty when nothing is ready.</summary>
    ValueTask<IReadOnlyList<SourceRecord<TValue, TOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken);
}
