using System.Text;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Laravel;

/// <summary>
/// Tails the Laravel log files a glob matches and emits one <see cref="LaravelRaw"/> per entry. Files are known by
/// identity, not name: a rotated file is read to its end, a new file at the old name is read from 0. The source
/// partition is the identity; the offset is the byte where the next unsent entry starts.
/// </summary>
public sealed class LaravelSourceTask : ISourceTask<LaravelRaw, LaravelFileOffset>
{
    private readonly LaravelSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<FileIdentity, TailedFile> _files = [];
    private readonly Queue<LaravelEntry> _ready = new();
    private IReadOnlyDictionary<string, LaravelFileOffset> _committed = new Dictionary<string, LaravelFileOffset>();

    public LaravelSourceTask(LaravelSourceOptions options, TimeProvider? time = null)
    {
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
    }

    public ValueTask StartAsync(IReadOnlyDictionary<string, LaravelFileOffset> committedOffsets, CancellationToken cancellationToken)
    {
        CloseAll();
        _committed = committedOffsets;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<SourceRecord<LaravelRaw, LaravelFileOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_ready.Count < maxRecords)
        {
            Scan(now);
            foreach (var file in _files.Values)
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.ReadAvailable(_ready, maxRecords, now);
                file.FlushIfIdle(_ready, _options.IdleFlushTimeout, now);
            }
        }

        var batch = new List<SourceRecord<LaravelRaw, LaravelFileOffset>>(Math.Min(maxRecords, _ready.Count));
        while (batch.Count < maxRecords && _ready.TryDequeue(out var entry))
        {
            batch.Add(ToRecord(entry, now));
        }

        return ValueTask.FromResult<IReadOnlyList<SourceRecord<LaravelRaw, LaravelFileOffset>>>(batch);
    }

    public ValueTask DisposeAsync()
    {
        CloseAll();
        return ValueTask.CompletedTask;
    }

    private void Scan(DateTime now)
    {
        var seen = new HashSet<FileIdentity>();
        foreach (var path in MatchingPaths())
        {
            if (FileIdentity.Of(path) is not { } identity || !seen.Add(identity))
            {
                continue;
            }

            if (_files.TryGetValue(identity, out var known))
            {
                known.Path = path;
                continue;
            }

            var start = _committed.TryGetValue(identity.ToString(), out var offset) ? offset.ByteOffset : 0;
            try
            {
                _files[identity] = new TailedFile(path, identity, start, _options.ReadChunkSize, now);
            }
            catch (FileNotFoundException)
            {
                // Rotated away between the listing and the open; it is found under its new name next time.
            }
        }

        // A file no longer under the glob is read to its end, then let go once it has been quiet.
        foreach (var gone in _files.Values.Where(f => !seen.Contains(f.Identity) && f.Drained && now - f.LastRead >= _options.IdleFlushTimeout).ToList())
        {
            gone.Dispose();
            _files.Remove(gone.Identity);
        }
    }

    private IEnumerable<string> MatchingPaths()
    {
        var directory = Path.GetDirectoryName(_options.PathGlob)!;
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var options = new EnumerationOptions { MatchType = MatchType.Simple, RecurseSubdirectories = false, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(directory, Path.GetFileName(_options.PathGlob), options).Order(StringComparer.Ordinal);
    }

    private SourceRecord<LaravelRaw, LaravelFileOffset> ToRecord(LaravelEntry entry, DateTime now)
    {
        var origin = _options.Host + ":" + entry.Path;
        var offset = new LaravelFileOffset(entry.Identity.ToString(), entry.Path, entry.EndOffset);
        var value = new LaravelRaw
        {
            origin = origin,
            ingested_at = now,
            offset = Encoding.UTF8.GetString(SourceOffsetStore<LaravelFileOffset>.Value(offset)),
            text = entry.Text,
            file_path = entry.Path,
            file_identity = offset.FileIdentity,
            byte_offset = entry.StartOffset,
        };
        return new SourceRecord<LaravelRaw, LaravelFileOffset>(origin, value, offset.FileIdentity, offset);
    }

    private void CloseAll()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
        _ready.Clear();
    }
}
