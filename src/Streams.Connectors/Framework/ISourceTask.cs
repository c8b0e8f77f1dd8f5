using Avro.Specific;

namespace Streams.Connectors.Framework;

/// <summary>One record a source task read: its Kafka key and value, and where it came from in the source.</summary>
/// <param name="SourcePartition">What the offset is kept per (a file, a table); part of the offsets topic key.</param>
/// <param name="SourceOffset">Where to resume in <paramref name="SourcePartition"/> once this record is committed.</param>
public sealed record SourceRecord<TValue, TOffset>(string Key, TValue Value, string SourcePartition, TOffset SourceOffset)
    where TValue : ISpecificRecord;

/// <summary>
/// Input a source task cannot turn into records (a corrupt file or object). It goes to the connector's dead-letter
/// topic in the same transaction as the batch it was found with, and its offset moves the source partition past it.
/// </summary>
/// <param name="Key">Kafka key of the dead letter: what names the bad input (an object key, a file).</param>
/// <param name="Value">The raw input, or as much of it as the task keeps; may be empty.</param>
/// <param name="Reason">Why it could not be read, for people: the <c>__streams.errors.reason</c> header.</param>
/// <param name="Detail">Extra <c>__streams.errors.*</c> headers (without the prefix).</param>
public sealed record SourceDeadLetter<TOffset>(
    string Key,
    byte[] Value,
    string Reason,
    Exception? Exception,
    string SourcePartition,
    TOffset SourceOffset,
    IReadOnlyList<KeyValuePair<string, string?>>? Detail = null);

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

    /// <summary>
    /// The dead letters the last <see cref="PollAsync"/> met, handed over once; the runner calls this after every poll.
    /// In each source partition they come after that poll's records, so their offset is the one committed.
    /// Tasks that never meet unreadable input keep the default: none.
    /// </summary>
    IReadOnlyList<SourceDeadLetter<TOffset>> TakeDeadLetters() => [];
}
