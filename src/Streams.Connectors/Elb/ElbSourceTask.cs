using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Elb;

/// <summary>
/// Reads load balancer access logs from an <see cref="IObjectStore"/> and emits one <see cref="ElbRaw"/> per line.
/// Each region's log folder (<c>[prefix/]AWSLogs/&lt;account&gt;/elasticloadbalancing/&lt;region&gt;/</c>) is a source
/// partition read in key order; its offset is the last object read and the lines of it sent, and listing resumes after
/// the last whole object (StartAfter), so a restart neither lists from the start nor reads a line twice. A damaged
/// gzip object becomes a dead letter, with its key, the reason and its first bytes, and reading goes on after it.
/// </summary>
public sealed class ElbSourceTask : ISourceTask<ElbRaw, ElbObjectOffset>
{
    private readonly ElbSourceOptions _options;
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<string, LogFolder> _folders = new(StringComparer.Ordinal);
    private readonly List<SourceDeadLetter<ElbObjectOffset>> _deadLetters = [];
    private IReadOnlyDictionary<string, ElbObjectOffset> _committed = new Dictionary<string, ElbObjectOffset>();
    private DateTimeOffset _nextListing = DateTimeOffset.MinValue;

    public ElbSourceTask(ElbSourceOptions options, IObjectStore store, TimeProvider? time = null, ILogger? logger = null)
    {
        _options = options.Validate();
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The store the options name: the directory, or the bucket with the default AWS credentials.</summary>
    public static ElbSourceTask Create(ElbSourceOptions options, ILogger? logger = null) =>
        new(options, options.Validate().Source == ElbSourceKind.Directory ? new DirectoryObjectStore(options.Directory!) : S3ObjectStore.Create(options), logger: logger);

    public async ValueTask StartAsync(IReadOnlyDictionary<string, ElbObjectOffset> committedOffsets, CancellationToken cancellationToken)
    {
        await CloseAllAsync();
        _committed = committedOffsets;
        _nextListing = DateTimeOffset.MinValue;
    }

    public async ValueTask<IReadOnlyList<SourceRecord<ElbRaw, ElbObjectOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextListing)
        {
            _nextListing = now + _options.PollInterval;
            await DiscoverFoldersAsync(cancellationToken);
            foreach (var folder in _folders.Values)
            {
                folder.MayList = true;
            }
        }

        var batch = new List<SourceRecord<ElbRaw, ElbObjectOffset>>();
        foreach (var folder in _folders.Values)
        {
            if (batch.Count >= maxRecords || _deadLetters.Count > 0)
            {
                break;
            }

            await ReadFolderAsync(folder, batch, maxRecords, now.UtcDateTime, cancellationToken);
        }

        return batch;
    }

    public IReadOnlyList<SourceDeadLetter<ElbObjectOffset>> TakeDeadLetters()
    {
        if (_deadLetters.Count == 0)
        {
            return [];
        }

        var taken = _deadLetters.ToList();
        _deadLetters.Clear();
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        _store.Dispose();
    }

    private async Task DiscoverFoldersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var account in _store.ListFoldersAsync(ElbLogObject.AccountsFolder(_options.PrefixFolder), cancellationToken))
            {
                if (!ElbLogObject.IsAccountFolder(account))
                {
                    continue;
                }

                await foreach (var region in _store.ListFoldersAsync(ElbLogObject.RegionsFolder(account), cancellationToken))
                {
                    if (!_folders.ContainsKey(region))
                    {
                        _folders[region] = LogFolder.Resume(region, _committed.GetValueOrDefault(region));
                    }
                }
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            _logger.LogWarning(ex, "elb: listing the log folders of {Origin} failed; trying again in {Interval}", _store.Origin, _options.PollInterval);
        }
    }

    /// <summary>Adds the folder's lines to <paramref name="batch"/> until it is full, the folder is read to the end of its listing, or an object is damaged.</summary>
    private async Task ReadFolderAsync(LogFolder folder, List<SourceRecord<ElbRaw, ElbObjectOffset>> batch, int maxRecords, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            while (batch.Count < maxRecords)
            {
                if (folder.Reader is null && !await OpenNextAsync(folder, cancellationToken))
                {
                    return;
                }

                var reader = folder.Reader!;
                ObjectLine? line;
                try
                {
                    line = await reader.ReadAsync(cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    await DeadLetterAsync(folder, reader, ex, cancellationToken);
                    return;
                }

                if (line is not { } l)
                {
                    // Read to its end but the end came after blank lines: it is done all the same.
                    await folder.CloseReaderAsync();
                    continue;
                }

                batch.Add(ToRecord(folder, reader.Object, l, now));
                folder.SentLines = l.Number;
                if (l.Last)
                {
                    await folder.CloseReaderAsync();
                }
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            // Lines handed out stay handed out; the object is opened again after them at the next listing.
            _logger.LogWarning(ex, "elb: reading {Folder} of {Origin} failed; resuming after line {Line} of {Key}", folder.Prefix, _store.Origin, folder.SentLines, folder.Reader?.Object.Key);
            folder.Interrupted();
            await folder.CloseReaderAsync();
            await folder.CloseListingAsync();
        }
    }

    /// <summary>Opens the object to resume, or the next log object of the listing; false when there is none yet.</summary>
    private async Task<bool> OpenNextAsync(LogFolder folder, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (folder.ResumeAt is { } resume)
            {
                // Cleared only once the open has an answer: a store failure leaves it to be tried again.
                folder.Reader = ElbLogObject.TryParse(resume.ObjectKey) is { } resumed
                    ? await ObjectLineReader.OpenAsync(_store, resumed, resume.LineNumber, cancellationToken)
                    : null;
                folder.ResumeAt = null;
                folder.SentLines = resume.LineNumber;
                if (folder.Reader is not null)
                {
                    return true;
                }

                _logger.LogWarning("elb: {Key} is gone from {Origin}; its lines after {Line} are not read", resume.ObjectKey, _store.Origin, resume.LineNumber);
                continue;
            }

            if (folder.Listing is null)
            {
                if (!folder.MayList)
                {
                    return false;
                }

                folder.MayList = false;
                folder.Listing = _store.ListAsync(folder.Prefix, folder.ListedAfter, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }

            if (!await folder.Listing.MoveNextAsync())
            {
                await folder.CloseListingAsync();
                return false;
            }

            var stored = folder.Listing.Current;
            if (ElbLogObject.TryParse(stored.Key) is not { } logObject)
            {
                // Not a resume point: a partial copy (x.log.gz.part) sorts after the object it becomes.
                _logger.LogDebug("elb: {Key} is not an access-log object; skipped", stored.Key);
                continue;
            }

            folder.ListedAfter = stored.Key;

            folder.ResumeAt = new ElbObjectOffset(logObject.Key, 0, Complete: false);
        }
    }

    private async Task DeadLetterAsync(LogFolder folder, ObjectLineReader reader, InvalidDataException error, CancellationToken cancellationToken)
    {
        var key = reader.Object.Key;
        var sent = folder.SentLines;
        await folder.CloseReaderAsync();
        var head = await HeadAsync(key, cancellationToken);
        _logger.LogWarning(error, "elb: {Key} of {Origin} is damaged after {Lines} lines; dead-lettered", key, _store.Origin, sent);
        _deadLetters.Add(new SourceDeadLetter<ElbObjectOffset>(
            key,
            head.Bytes,
            "corrupt log object: " + error.Message,
            error,
            folder.Prefix,
            new ElbObjectOffset(key, sent, Complete: true),
            [
                new("origin", _store.Origin),
                new("bucket", _store.Container),
                new("object.key", key),
                new("object.lines.sent", sent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("object.value.truncated", head.Truncated ? "true" : "false"),
            ]));
    }

    /// <summary>The object's first bytes as stored, up to the configured bound.</summary>
    private async Task<(byte[] Bytes, bool Truncated)> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await _store.OpenReadAsync(key, cancellationToken);
            if (stream is null)
            {
                return ([], false);
            }

            var buffer = new byte[_options.DeadLetterMaxBytes];
            var filled = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var truncated = filled == buffer.Length && await stream.ReadAsync(new byte[1], cancellationToken) > 0;
            return (buffer[..filled], truncated);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            // The dead letter still names the object; its bytes are in the store.
            _logger.LogWarning(ex, "elb: reading the bytes of damaged {Key} for its dead letter failed", key);
            return ([], true);
        }
    }

    private SourceRecord<ElbRaw, ElbObjectOffset> ToRecord(LogFolder folder, ElbLogObject logObject, ObjectLine line, DateTime now)
    {
        var offset = new ElbObjectOffset(logObject.Key, line.Number, line.Last);
        var value = new ElbRaw
        {
            origin = _store.Origin,
            ingested_at = now,
            offset = Encoding.UTF8.GetString(SourceOffsetStore<ElbObjectOffset>.Value(offset)),
            text = line.Text,
            bucket = _store.Container,
            object_key = logObject.Key,
            line_number = line.Number,
        };
        return new SourceRecord<ElbRaw, ElbObjectOffset>(_store.Origin, value, folder.Prefix, offset);
    }

    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not InvalidDataException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private async Task CloseAllAsync()
    {
        foreach (var folder in _folders.Values)
        {
            await folder.CloseReaderAsync();
            await folder.CloseListingAsync();
        }

        _folders.Clear();
        _deadLetters.Clear();
    }

    /// <summary>One region's log folder: where its listing and its current object stand.</summary>
    private sealed class LogFolder(string prefix)
    {
        public string Prefix { get; } = prefix;

        /// <summary>The last key taken from a listing: the next listing starts after it.</summary>
        public string? ListedAfter { get; set; }

        /// <summary>An object read in part, to open again after its sent lines before listing on.</summary>
        public ElbObjectOffset? ResumeAt { get; set; }

        public bool MayList { get; set; }

        public IAsyncEnumerator<StoredObject>? Listing { get; set; }

        public ObjectLineReader? Reader { get; set; }

        /// <summary>Lines of the current object already handed out.</summary>
        public long SentLines { get; set; }

        public static LogFolder Resume(string prefix, ElbObjectOffset? committed) => new(prefix)
        {
            ListedAfter = committed?.ObjectKey,
            ResumeAt = committed is { Complete: false } ? committed : null,
        };

        /// <summary>A store failure: the current object is opened again after its sent lines, after a fresh listing.</summary>
        public void Interrupted()
        {
            if (Reader is { } reader)
            {
                ResumeAt = new ElbObjectOffset(reader.Object.Key, SentLines, Complete: false);
            }
        }

        public async ValueTask CloseReaderAsync()
        {
            if (Reader is not null)
            {
                await Reader.DisposeAsync();
                Reader = null;
            }
        }

        public async ValueTask CloseListingAsync()
        {
            if (Listing is not null)
            {
                var listing = Listing;
                Listing = null;
                try
                {
                    await listing.DisposeAsync();
                }
                catch (Exception)
                {
                    // A listing that failed has nothing left to release.
                }
            }
        }
    }
}
