using Streams.Connectors.Files;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Mysql;

/// <summary>
/// Tails the MySQL/MariaDB general and slow log files and emits one <see cref="MysqlRaw"/> per entry (kind
/// GENERAL_FILE or SLOW_FILE), <c>text</c> the entry as written and <c>inherited_time</c> the last time printed before
/// it, which the topology's file parsers need for entries that print none. Rotation, truncation and byte offsets are
/// the shared <see cref="FileTailer"/>'s; the offset also carries the last printed time, so it survives a restart.
/// </summary>
public sealed class MysqlFileSourceTask : FileSourceTask<MysqlRaw, MysqlFileOffset>
{
    private readonly MysqlFileOptions _options;
    private readonly Dictionary<FileTailer, MysqlFileFraming> _framings;
    private Dictionary<string, string?> _lastTimes = new(StringComparer.Ordinal);

    public MysqlFileSourceTask(MysqlFileOptions options, TimeProvider? time = null)
        : this(options.Validate(), options.Tails().ToDictionary(t => new FileTailer(t.Tail, t.Framing), t => t.Framing), time)
    {
    }

    private MysqlFileSourceTask(MysqlFileOptions options, Dictionary<FileTailer, MysqlFileFraming> framings, TimeProvider? time)
        : base([.. framings.Keys], time)
    {
        _options = options;
        _framings = framings;
    }

    protected override long ByteOffsetOf(MysqlFileOffset offset) => offset.ByteOffset;

    protected override void OnStart(IReadOnlyDictionary<string, MysqlFileOffset> committedOffsets) =>
        _lastTimes = committedOffsets.ToDictionary(p => p.Key, p => p.Value.LastTime, StringComparer.Ordinal);

    protected override SourceRecord<MysqlRaw, MysqlFileOffset> ToRecord(FileTailer tailer, FileEntry entry, DateTime now)
    {
        var framing = _framings[tailer];
        var identity = entry.Identity.ToString();
        var inherited = _lastTimes.GetValueOrDefault(identity);
        var lastTime = framing.TimeOf(entry.Text) ?? inherited;
        _lastTimes[identity] = lastTime;

        var origin = entry.Origin(_options.Host);
        var offset = new MysqlFileOffset(identity, entry.Path, entry.EndOffset, lastTime);
        var value = new MysqlRaw
        {
            origin = origin,
            ingested_at = now,
            offset = OffsetText(offset),
            kind = framing.Kind,
            text = entry.Text,
            inherited_time = inherited,
        };
        return new SourceRecord<MysqlRaw, MysqlFileOffset>(origin, value, identity, offset);
    }
}
