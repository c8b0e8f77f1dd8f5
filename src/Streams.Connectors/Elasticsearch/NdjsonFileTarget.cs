using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// The embedded default target: each index becomes <c>&lt;dir&gt;/&lt;index&gt;.ndjson</c> holding exactly the bytes a
/// <c>_bulk</c> request would carry (action line, document line), so a file can be replayed into Elasticsearch with curl.
/// An id already in the file is not written again (the file's create semantics); the ids are re-read on first use.
/// Requests are gathered per file and written to the OS in one write per file (at <see cref="FlushBytes"/> gathered,
/// <see cref="FlushDelay"/> after the first unwritten one, or on <see cref="FlushAsync"/>); a request is reported only
/// after its bytes are written and flushed to the OS, which is all the durability this target claims.
/// </summary>
public sealed class NdjsonFileTarget : IIndexTarget
{
    /// <summary>Bytes gathered over all files before they are written without waiting for <see cref="FlushDelay"/>.</summary>
    public const int FlushBytes = 1 << 20;

    /// <summary>The longest a request waits to be written when fewer than <see cref="FlushBytes"/> follow it.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(10);

    private readonly string _directory;
    private readonly Dictionary<string, IndexFile> _files = new(StringComparer.Ordinal);
    private readonly Channel<IndexResult> _results = Channel.CreateUnbounded<IndexResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<IndexResult> _unwritten = [];
    private readonly List<IndexFile> _dirty = [];
    private readonly Timer _timer;
    private long _gathered;

    // The index name last checked and opened: the renderer hands out one string per index and day, so most requests
    // need neither the check nor the dictionary lookup again.
    private string? _lastSafeIndex;
    private IndexFile? _lastFile;

    // When the oldest unwritten request came (Stopwatch ticks), 0 when nothing waits. The adder writes once it is
    // FlushDelay old; the timer only when no add came to do it, so under load it never takes the lock from the adder.
    private long _oldest;
    private bool _disposed;
    private Exception? _failure;

    public NdjsonFileTarget(string directory)
    {
        Directory.CreateDirectory(directory);
        _directory = directory;
        _timer = new Timer(_ => OnTimer(), null, FlushDelay / 2, FlushDelay / 2);
    }

    public ChannelReader<IndexResult> Results => _results.Reader;

    public string PathOf(string index) => Path.Combine(_directory, index + ".ndjson");

    public ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!ReferenceEquals(request.Index, _lastSafeIndex) && !IsSafeIndexName(request.Index))
        {
            _results.Writer.TryWrite(new IndexResult(request, IndexOutcome.DeadLettered, "invalid_index_name_exception", $"'{request.Index}' is not a lower-case index name usable as a file name"));
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_failure is not null)
            {
                throw new IOException("an earlier write to the NDJSON files failed; nothing after it is acknowledged", _failure);
            }

            var file = Open(request.Index);
            _lastSafeIndex = request.Index;
            if (!file.Ids.Add(request.Id))
            {
                // Reported in order, after the write of the first copy, which may still be gathered here.
                _unwritten.Add(new IndexResult(request, IndexOutcome.AlreadyExisted));
            }
            else
            {
                var before = file.Buffer.WrittenCount;
                BulkBody.WriteOne(file.Buffer, request);
                _gathered += file.Buffer.WrittenCount - before;
                if (before == 0)
                {
                    _dirty.Add(file);
                }

                _unwritten.Add(new IndexResult(request, IndexOutcome.Created));
            }

            var now = Stopwatch.GetTimestamp();
            if (_oldest == 0)
            {
                Volatile.Write(ref _oldest, now);
            }

            if (_gathered >= FlushBytes || Stopwatch.GetElapsedTime(_oldest, now) >= FlushDelay)
            {
                WriteGathered();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what is gathered; every request added before the call has its result when this returns.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_disposed && _failure is null)
            {
                WriteGathered();
            }
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (_failure is null)
                {
                    WriteGathered();
                }
            }
            finally
            {
                _disposed = true;
                foreach (var file in _files.Values)
                {
                    file.Stream.Dispose();
                }

                _files.Clear();
                _results.Writer.TryComplete();
            }
        }
    }

    private static bool IsSafeIndexName(string index)
    {
        if (index.Length == 0 || index[0] == '.')
        {
            return false;
        }

        foreach (var c in index)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private void OnTimer()
    {
        var oldest = Volatile.Read(ref _oldest);
        if (oldest == 0 || Stopwatch.GetElapsedTime(oldest) < FlushDelay)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed || _failure is not null || _oldest == 0)
            {
                return;
            }

            try
            {
                WriteGathered();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Recorded by WriteGathered: the faulted results channel stops the sink.
            }
        }
    }

    // Under _gate. One write and flush per file, then the results in the order the requests came. A failed write
    // fails the target: nothing after the last reported request is acknowledged, and the faulted results channel
    // stops the sink, which then reads those records again.
    private void WriteGathered()
    {
        try
        {
            foreach (var file in _dirty)
            {
                file.Stream.Write(file.Buffer.WrittenSpan);
                file.Stream.Flush();
                file.Buffer.ResetWrittenCount();
            }
        }
        catch (Exception ex)
        {
            _failure = ex;
            _results.Writer.TryComplete(ex);
            throw;
        }

        _dirty.Clear();
        _gathered = 0;
        Volatile.Write(ref _oldest, 0);
        foreach (var result in _unwritten)
        {
            _results.Writer.TryWrite(result);
        }

        _unwritten.Clear();
    }

    private IndexFile Open(string index)
    {
        if (ReferenceEquals(index, _lastSafeIndex) && _lastFile is not null)
        {
            return _lastFile;
        }

        if (_files.TryGetValue(index, out var file))
        {
            _lastFile = file;
            return file;
        }

        var path = PathOf(index);
        var (ids, completeLength) = ReadIds(path);
        // No FileStream buffer: the gathered bytes go to the OS in one write.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0);
        // A crash mid-write can leave half a pair at the end; cut it so the file stays a valid bulk body.
        stream.SetLength(completeLength);
        stream.Seek(completeLength, SeekOrigin.Begin);
        file = new IndexFile(stream, ids, new ArrayBufferWriter<byte>(64 * 1024));
        _files[index] = file;
        _lastFile = file;
        return file;
    }

    private static (HashSet<string> Ids, long CompleteLength) ReadIds(string path)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return (ids, 0);
        }

        ReadOnlySpan<byte> content = File.ReadAllBytes(path);
        long position = 0;
        while (true)
        {
            var rest = content[(int)position..];
            var actionEnd = rest.IndexOf((byte)'\n');
            if (actionEnd < 0)
            {
                break;
            }

            var documentEnd = rest[(actionEnd + 1)..].IndexOf((byte)'\n');
            if (documentEnd < 0)
            {
                break;
            }

            ids.Add(IdOf(rest[..actionEnd], path));
            position += actionEnd + 1 + documentEnd + 1;
        }

        return (ids, position);
    }

    private static string IdOf(ReadOnlySpan<byte> actionLine, string path)
    {
        var reader = new Utf8JsonReader(actionLine);
        using var action = JsonDocument.ParseValue(ref reader);
        return action.RootElement.GetProperty("create").GetProperty("_id").GetString()
            ?? throw new InvalidDataException($"{path}: an action line has a null _id");
    }

    private sealed record IndexFile(FileStream Stream, HashSet<string> Ids, ArrayBufferWriter<byte> Buffer);
}
