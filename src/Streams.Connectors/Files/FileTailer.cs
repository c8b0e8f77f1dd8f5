namespace Streams.Connectors.Files;

/// <summary>
/// Tails the files a glob matches and cuts them into entries, the part every file source shares. Files are known by
/// identity, not name: a rotated file is read to its end, a new file at the old name is read from 0, a truncated file
/// is read again from 0. Each file resumes at the byte offset committed for its identity.
/// </summary>
public sealed class FileTailer : IDisposable
{
    private static readonly IReadOnlyDictionary<string, long> Nothing = new Dictionary<string, long>();

    private readonly FileTailOptions _options;
    private readonly IEntryFraming _framing;
    private readonly Dictionary<FileIdentity, TailedFile> _files = [];
    private readonly Queue<FileEntry> _ready = new();
    private IReadOnlyDictionary<string, long> _resumeAt = Nothing;

    /// <param name="options">Validated by the source, which knows the key names.</param>
    public FileTailer(FileTailOptions options, IEntryFraming framing)
    {
        _options = options;
        _framing = framing;
    }

    /// <summary>Forgets everything read; files are opened again at <paramref name="resumeAt"/> (identity to byte offset) or 0.</summary>
    public void Restart(IReadOnlyDictionary<string, long> resumeAt)
    {
        CloseAll();
        _resumeAt = resumeAt;
    }

    /// <summary>Up to <paramref name="maxEntries"/> complete entries, each file's in file order.</summary>
    public IReadOnlyList<FileEntry> Poll(int maxEntries, DateTime now, CancellationToken cancellationToken)
    {
        if (_ready.Count < maxEntries)
        {
            Scan(now);
            foreach (var file in _files.Values)
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.ReadAvailable(_ready, maxEntries, now);
                file.FlushIfIdle(_ready, _options.IdleFlushTimeout, now);
            }
        }

        var batch = new List<FileEntry>(Math.Min(maxEntries, _ready.Count));
        while (batch.Count < maxEntries && _ready.TryDequeue(out var entry))
        {
            batch.Add(entry);
        }

        return batch;
    }

    /// <summary>The read buffers of the open files, in bytes: what tailing holds beyond the entries not yet polled.</summary>
    internal long BufferBytes => _files.Values.Sum(f => (long)f.BufferCapacity);

    public void Dispose() => CloseAll();

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

            var start = _resumeAt.TryGetValue(identity.ToString(), out var offset) ? offset : 0;
            try
            {
                _files[identity] = new TailedFile(path, identity, start, _options.ReadChunkSize, _options.MaxEntryBytes, _framing, now);
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
