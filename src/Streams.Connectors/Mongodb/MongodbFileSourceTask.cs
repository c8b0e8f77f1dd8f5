using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// Tails mongod's log files and emits one <see cref="MongodbRaw"/> (kind FILE_LINE) per line, JSON or legacy text
/// alike; the topology's parser tells them apart. Rotation (mongod's rename or reopen), truncation and the
/// (file identity, byte offset) offsets are the shared <see cref="FileTailer"/>'s.
/// </summary>
public sealed class MongodbFileSourceTask : FileSourceTask<MongodbRaw, FileOffset>
{
    private readonly MongodbFileOptions _options;

    public MongodbFileSourceTask(MongodbFileOptions options, TimeProvider? time = null)
        : base([new FileTailer(options.Validate().Tail, MongodbLogFraming.Instance)], time)
    {
        _options = options;
    }

    protected override long ByteOffsetOf(FileOffset offset) => offset.ByteOffset;

    protected override SourceRecord<MongodbRaw, FileOffset> ToRecord(FileTailer tailer, FileEntry entry, DateTime now)
    {
        var origin = entry.Origin(_options.Host);
        var offset = FileOffset.After(entry);
        var value = new MongodbRaw
        {
            origin = origin,
            ingested_at = now,
            offset = OffsetText(offset),
            kind = MongodbRawKind.FILE_LINE,
            text = entry.Text,
        };
        return new SourceRecord<MongodbRaw, FileOffset>(origin, value, offset.FileIdentity, offset);
    }
}
