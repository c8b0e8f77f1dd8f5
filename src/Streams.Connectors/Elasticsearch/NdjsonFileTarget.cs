using System.Buffers;
using System.Collections.Concurrent;
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
/// <remarks>
/// The writes happen on a writer task, not on the adding thread: gathered bytes and their results are handed over as a
/// batch, written and reported in the order handed over. At most <see cref="MaxQueuedBatches"/> batches wait; past
/// that <see cref="AddAsync"/> waits, which is the back-pressure.
/// </remarks>
public sealed class NdjsonFileTarget : IIndexTarget
{
    /// <summary>Bytes gathered over all files before they are written without waiting for <see cref="FlushDelay"/>.</summary>
    public const int FlushBytes = 1 << 20;

    /// <summary>The longest a request waits to be written when fewer than <see cref="FlushBytes"/> follow it.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches handed to the writer and not yet written beyond which <see cref="AddAsync"/> waits.</summary>
    public const int MaxQueuedBatches = 4;

    private readonly string _directory;
    private readonly Dictionary<string, IndexFile> _files = new(StringComparer.Ordinal);
    private readonly Channel<IndexResult> _results = Channel.CreateUnbounded<IndexResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<IndexFile> _dirty = [];
    private readonly Channel<Batch> _batches = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<List<IndexResult>> _spareResults = new();
    private readonly SemaphoreSlim _room = new(0);
    private readonly Task _writer;
    private readonly Timer _timer;
    private List<IndexResult> _unwritten = [];
    private int _queued;
    private long _gathered;

    // The files of the last few index names, by the names' references: the renderer hands out one string per topic and
    // day, so most requests need neither the name check nor a dictionary lookup. Under _gate.
    private readonly string?[] _recentNames = new string?[8];
    private readonly IndexFile?[] _recentFiles = new IndexFile?[8];
    private int _recentNext;

    // When the oldest unwritten request came (Stopwatch ticks), 0 when nothing waits. The adder writes once it is
    // FlushDelay old; the timer only when no add came to do it, so under load it never takes the lock from the adder.
    private long _oldest;
    private bool _disposed;
    private Exception? _failure;

    public NdjsonFileTarget(string directory)
    {
        Directory.CreateDirectory(directory);
        _directory = directory;
        _writer = Task.Run(WriteLoopAsync);
        _timer = new Timer(_ => OnTimer(), null, FlushDelay / 2, FlushDelay / 2);
    }

    public ChannelReader<IndexResult> Results => _results.Reader;

    public string PathOf(string index) => Path.Combine(_directory, index + ".ndjson");

    public ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_failure is not null)
            {
                throw new IOException("an earlier write to the NDJSON files failed; nothing after it is acknowledged", _failure);
            }

            var file = Recent(request.Index);
            if (file is null)
            {
                if (!IsSafeIndexName(request.Index))
                {
                    _results.Writer.TryWrite(new IndexResult(request, IndexOutcome.DeadLettered, "invalid_index_name_exception", $"'{request.Index}' is not a lower-case index name usable as a file name"));
                    return ValueTask.CompletedTask;
                }

                file = Open(request.Index);
                _recentNames[_recentNext] = request.Index;
                _recentFiles[_recentNext] = file;
                _recentNext = (_recentNext + 1) % _recentNames.Length;
            }
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
                HandOver(null);
            }
        }

        return Volatile.Read(ref _queued) > MaxQueuedBatches ? new ValueTask(WaitForRoomAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Writes what is gathered; every request added before the call has its result when this returns.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_disposed || _failure is not null)
            {
                return Task.CompletedTask;
            }

            HandOver(done);
        }

        return done.Task.WaitAsync(cancellationToken);
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

            if (_failure is null)
            {
                HandOver(null);
            }

            _disposed = true;
            _batches.Writer.TryComplete();
        }

        try
        {
            await _writer;
        }
        finally
        {
            foreach (var file in _files.Values)
            {
                await file.Stream.DisposeAsync();
            }

            _files.Clear();
            Array.Clear(_recentFiles);
            _results.Writer.TryComplete();
            _room.Dispose();
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

            HandOver(null);
        }
    }

    // Under _gate: what is gathered, bytes and results, goes to the writer as one batch; the files gather into spare
    // buffers meanwhile. A batch with nothing but a completion marks the point a flush waits for.
    private void HandOver(TaskCompletionSource? done)
    {
        if (_dirty.Count == 0 && _unwritten.Count == 0 && done is null)
        {
            return;
        }

        var writes = new (IndexFile File, ArrayBufferWriter<byte> Bytes)[_dirty.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            var file = _dirty[i];
            writes[i] = (file, file.Buffer);
            file.Buffer = file.Spares.TryDequeue(out var spare) ? spare : new ArrayBufferWriter<byte>(64 * 1024);
        }

        var batch = new Batch(writes, _unwritten, done);
        _unwritten = _spareResults.TryDequeue(out var list) ? list : [];
        _dirty.Clear();
        _gathered = 0;
        Volatile.Write(ref _oldest, 0);
        Interlocked.Increment(ref _queued);
        _batches.Writer.TryWrite(batch);
    }

    // One write and flush per file, then the results in the order the requests came. A failed write fails the target:
    // nothing after the last reported request is acknowledged, and the faulted results channel stops the sink, which
    // then reads those records again.
    private async Task WriteLoopAsync()
    {
        await foreach (var batch in _batches.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (Volatile.Read(ref _failure) is { } failure)
                {
                    throw new IOException("an earlier write to the NDJSON files failed; nothing after it is acknowledged", failure);
                }

                foreach (var (file, bytes) in batch.Writes)
                {
                    file.Stream.Write(bytes.WrittenSpan);
                    file.Stream.Flush();
                    bytes.ResetWrittenCount();
                    file.Spares.Enqueue(bytes);
                }

                foreach (var result in batch.Results)
                {
                    _results.Writer.TryWrite(result);
                }

                batch.Results.Clear();
                _spareResults.Enqueue(batch.Results);
                batch.Done?.TrySetResult();
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _failure ??= ex;
                }

                _results.Writer.TryComplete(ex);
                batch.Done?.TrySetException(ex);
            }
            finally
            {
                // Only the step back to the limit can free an adder waiting above it.
                if (Interlocked.Decrement(ref _queued) == MaxQueuedBatches)
                {
                    _room.Release();
                }
            }
        }
    }

    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _queued) > MaxQueuedBatches)
        {
            await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private IndexFile? Recent(string index)
    {
        for (var i = 0; i < _recentNames.Length; i++)
        {
            if (ReferenceEquals(_recentNames[i], index))
            {
                return _recentFiles[i];
            }
        }

        return null;
    }

    private IndexFile Open(string index)
    {
        if (_files.TryGetValue(index, out var file))
        {
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
        return file;
    }

    private static (DocumentIdSet Ids, long CompleteLength) ReadIds(string path)
    {
        var ids = new DocumentIdSet();
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

    private sealed class IndexFile(FileStream stream, DocumentIdSet ids, ArrayBufferWriter<byte> buffer)
    {
        public FileStream Stream { get; } = stream;

        public DocumentIdSet Ids { get; } = ids;

        /// <summary>Where requests gather; swapped for a spare when handed to the writer.</summary>
        public ArrayBufferWriter<byte> Buffer { get; set; } = buffer;

        /// <summary>Buffers the writer has written out, for the next hand-over.</summary>
        public ConcurrentQueue<ArrayBufferWriter<byte>> Spares { get; } = new();
    }

    private sealed record Batch((IndexFile File, ArrayBufferWriter<byte> Bytes)[] Writes, List<IndexResult> Results, TaskCompletionSource? Done);
}
