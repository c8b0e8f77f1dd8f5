using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Laravel;

/// <summary>
/// Tails the Laravel log files a glob matches and emits one <see cref="LaravelRaw"/> per entry (a Monolog line and the
/// stack trace lines after it). Rotation, truncation and offsets are the shared <see cref="FileTailer"/>'s.
/// </summary>
public sealed class LaravelSourceTask : FileSourceTask<LaravelRaw, FileOffset>
{
    private readonly LaravelSourceOptions _options;

    public LaravelSourceTask(LaravelSourceOptions options, TimeProvider? time = null)
        : base([new FileTailer(options.Validate().Tail, LaravelEntryStart.Framing)], time)
    {
        _options = options;
    }

    protected override long ByteOffsetOf(FileOffset offset) => offset.ByteOffset;

    protected override SourceRecord<LaravelRaw, FileOffset> ToRecord(FileTailer tailer, FileEntry entry, DateTime now)
    {
        var origin = entry.Origin(_options.Host);
        var offset = FileOffset.After(entry);
        var value = new LaravelRaw
        {
            origin = origin,
            ingested_at = now,
            offset = OffsetText(offset),
            text = entry.Text,
            file_path = entry.Path,
            file_identity = offset.FileIdentity,
            byte_offset = entry.StartOffset,
        };
        return new SourceRecord<LaravelRaw, FileOffset>(origin, value, offset.FileIdentity, offset);
    }
}
