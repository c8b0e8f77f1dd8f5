using Avro.Specific;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Files;

/// <summary>
/// A source task over one or more <see cref="FileTailer"/>s: restarts each at the committed byte offsets and turns the
/// entries they cut into records. A source says only what an entry becomes and where its offsets keep the byte offset.
/// The source partition of a record is its file's identity, so an offset follows a file through rotation.
/// </summary>
public abstract class FileSourceTask<TValue, TOffset> : ISourceTask<TValue, TOffset>
    where TValue : ISpecificRecord
{
    private readonly IReadOnlyList<FileTailer> _tailers;
    private readonly TimeProvider _time;
    private int _first;

    protected FileSourceTask(IReadOnlyList<FileTailer> tailers, TimeProvider? time)
    {
        _tailers = tailers;
        _time = time ?? TimeProvider.System;
    }

    public ValueTask StartAsync(IReadOnlyDictionary<string, TOffset> committedOffsets, CancellationToken cancellationToken)
    {
        OnStart(committedOffsets);
        var resumeAt = committedOffsets.ToDictionary(p => p.Key, p => ByteOffsetOf(p.Value), StringComparer.Ordinal);
        foreach (var tailer in _tailers)
        {
            tailer.Restart(resumeAt);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<SourceRecord<TValue, TOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var batch = new List<SourceRecord<TValue, TOffset>>();

        // Round robin over the tailers, so that a busy file does not starve the others.
        for (var i = 0; i < _tailers.Count && batch.Count < maxRecords; i++)
        {
            var tailer = _tailers[(_first + i) % _tailers.Count];
            foreach (var entry in tailer.Poll(maxRecords - batch.Count, now, cancellationToken))
            {
                batch.Add(ToRecord(tailer, entry, now));
            }
        }

        _first = (_first + 1) % _tailers.Count;
        return ValueTask.FromResult<IReadOnlyList<SourceRecord<TValue, TOffset>>>(batch);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var tailer in _tailers)
        {
            tailer.Dispose();
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The byte offset a committed offset resumes its file at.</summary>
    protected abstract long ByteOffsetOf(TOffset offset);

    /// <summary>The record for <paramref name="entry"/>; called in file order for the entries of each file.</summary>
    protected abstract SourceRecord<TValue, TOffset> ToRecord(FileTailer tailer, FileEntry entry, DateTime now);

    /// <summary>Called with the committed offsets before the tailers restart from them; state kept per file starts over here.</summary>
    protected virtual void OnStart(IReadOnlyDictionary<string, TOffset> committedOffsets)
    {
    }

    /// <summary>The text of the raw record's <c>offset</c> field: the offset as it is stored.</summary>
    protected static string OffsetText(TOffset offset) => System.Text.Encoding.UTF8.GetString(SourceOffsetStore<TOffset>.Value(offset));
}
