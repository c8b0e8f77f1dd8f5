using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// The embedded default target: each index becomes <c>&lt;dir&gt;/&lt;index&gt;.ndjson</c> holding exactly the bytes a
/// <c>_bulk</c> request would carry (action line, document line), so a file can be replayed into Elasticsearch with curl.
/// An id already in the file is not written again (the file's create semantics); the ids are re-read on first use.
/// Each request is written and flushed to the OS before it is reported, which is all the durability this target claims.
/// </summary>
public sealed class NdjsonFileTarget : IIndexTarget
{
    private readonly string _directory;
    private readonly Dictionary<string, IndexFile> _files = new(StringComparer.Ordinal);
    private readonly Channel<IndexResult> _results = Channel.CreateUnbounded<IndexResult>();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public NdjsonFileTarget(string directory)
    {
        Directory.CreateDirectory(directory);
        _directory = directory;
    }

    public ChannelReader<IndexResult> Results => _results.Reader;

    public string PathOf(string index) => Path.Combine(_directory, index + ".ndjson");

    public async ValueTask AddAsync(IndexRequest request, CancellationToken cancellationToken)
    {
        if (request.Index.Length == 0 || request.Index.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')) || request.Index[0] == '.')
        {
            _results.Writer.TryWrite(new IndexResult(request, IndexOutcome.DeadLettered, "invalid_index_name_exception", $"'{request.Index}' is not a lower-case index name usable as a file name"));
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var file = Open(request.Index);
            if (!file.Ids.Add(request.Id))
            {
                _results.Writer.TryWrite(new IndexResult(request, IndexOutcome.AlreadyExisted));
                return;
            }

            var buffer = new ArrayBufferWriter<byte>((int)request.BulkBytes);
            BulkBody.WriteOne(buffer, request);
            await file.Stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
            await file.Stream.FlushAsync(cancellationToken);
            _results.Writer.TryWrite(new IndexResult(request, IndexOutcome.Created));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every request is reported as it is written, so there is never anything to wait for.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            foreach (var file in _files.Values)
            {
                await file.Stream.DisposeAsync();
            }

            _files.Clear();
            _results.Writer.TryComplete();
        }
        finally
        {
            _lock.Release();
        }
    }

    private IndexFile Open(string index)
    {
        if (_files.TryGetValue(index, out var file))
        {
            return file;
        }

        var path = PathOf(index);
        var (ids, completeLength) = ReadIds(path);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        // A crash mid-write can leave half a pair at the end; cut it so the file stays a valid bulk body.
        stream.SetLength(completeLength);
        stream.Seek(completeLength, SeekOrigin.Begin);
        file = new IndexFile(stream, ids);
        _files[index] = file;
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

    private sealed record IndexFile(FileStream Stream, HashSet<string> Ids);
}
