using System.Globalization;
using System.Text;

namespace Streams.Connectors.Files;

/// <summary>
/// Reads one open file from an entry start and assembles its lines into entries as <see cref="IEntryFraming"/> says.
/// The stream stays open, so a file renamed away by rotation is read to its end under whatever name it now has.
/// A line counts only once its line break is written: a partial last line waits in the buffer. An entry of several
/// lines holds at most <c>maxEntryBytes</c>: later lines are counted, not kept, and one closing line says so.
/// </summary>
internal sealed class TailedFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly IEntryFraming _framing;
    private readonly List<string> _pendingLines = [];
    private readonly int _maxEntryBytes;
    private readonly int _chunkSize;
    private byte[] _buffer;
    private int _buffered;
    private long _bufferStart;
    private long _pendingStart;
    private long _pendingEnd;
    private long _pendingBytes;
    private int _droppedLines;
    private long _droppedBytes;
    private DateTime _lastRead;

    public TailedFile(string path, FileIdentity identity, long startOffset, int chunkSize, int maxEntryBytes, IEntryFraming framing, DateTime now)
    {
        Path = path;
        Identity = identity;
        _framing = framing;
        _maxEntryBytes = maxEntryBytes;
        _chunkSize = chunkSize;
        _stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        _buffer = new byte[chunkSize];
        _bufferStart = startOffset > _stream.Length ? 0 : startOffset;
        _stream.Position = _bufferStart;
        _lastRead = now;
    }

    public string Path { get; set; }

    public FileIdentity Identity { get; }

    /// <summary>Nothing is held back: every byte read so far is in an emitted entry.</summary>
    public bool Drained => _buffered == 0 && _pendingLines.Count == 0;

    public DateTime LastRead => _lastRead;

    /// <summary>Bytes held for reading: the chunk size, or more while a line longer than it is being read.</summary>
    public int BufferCapacity => _buffer.Length;

    /// <summary>Reads what is new, adding the entries it completes to <paramref name="ready"/>, until end of file or <paramref name="limit"/> entries.</summary>
    public void ReadAvailable(Queue<FileEntry> ready, int limit, DateTime now)
    {
        if (_stream.Length < _bufferStart + _buffered)
        {
            // Truncated (copytruncate rotation): what was read stays read; reading starts again at 0.
            EmitPending(ready);
            _buffered = 0;
            _bufferStart = 0;
            _stream.Position = 0;
        }

        while (ready.Count < limit)
        {
            if (_buffer.Length - _buffered < _buffer.Length / 2)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = _stream.Read(_buffer, _buffered, _buffer.Length - _buffered);
            if (read == 0)
            {
                return;
            }

            _lastRead = now;
            _buffered += read;
            TakeLines(ready);
        }
    }

    /// <summary>
    /// The last entry has no next entry start to end it: it is sent once the file has been quiet for
    /// <paramref name="idle"/>. Not while a partial line waits for its line break: the writer is mid-entry.
    /// </summary>
    public void FlushIfIdle(Queue<FileEntry> ready, TimeSpan idle, DateTime now)
    {
        if (_pendingLines.Count > 0 && _buffered == 0 && now - _lastRead >= idle)
        {
            EmitPending(ready);
        }
    }

    public void Dispose() => _stream.Dispose();

    private void TakeLines(Queue<FileEntry> ready)
    {
        var consumed = 0;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', consumed, _buffered - consumed);
            if (newline < 0)
            {
                break;
            }

            var length = newline - consumed;
            if (length > 0 && _buffer[newline - 1] == '\r')
            {
                length--;
            }

            var line = Encoding.UTF8.GetString(_buffer, consumed, length);
            var lineStart = _bufferStart + consumed;
            consumed = newline + 1;
            Take(line, length, lineStart, _bufferStart + consumed, ready);
        }

        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _buffered - consumed);
        _buffered -= consumed;
        _bufferStart += consumed;

        // A long line grew the buffer; once it is read, the memory goes back.
        if (_buffer.Length > 4 * _chunkSize && _buffered <= _chunkSize / 2)
        {
            var smaller = new byte[_chunkSize];
            Buffer.BlockCopy(_buffer, 0, smaller, 0, _buffered);
            _buffer = smaller;
        }
    }

    private void Take(string line, int lineBytes, long lineStart, long lineEnd, Queue<FileEntry> ready)
    {
        var role = _framing.Classify(line, _pendingLines.Count > 0 ? _pendingLines[^1] : null);
        if (role == LineRole.Skipped)
        {
            EmitPending(ready);
            return;
        }

        if (role == LineRole.Opens || _pendingLines.Count == 0)
        {
            EmitPending(ready);
            _pendingStart = lineStart;
        }
        else if (_droppedLines > 0 || _pendingBytes + 1 + lineBytes > _maxEntryBytes)
        {
            // Past the entry's limit: the line is read (the entry's bytes cover it) but not kept.
            _droppedLines++;
            _droppedBytes += 1 + lineBytes;
            _pendingEnd = lineEnd;
            return;
        }

        _pendingLines.Add(line);
        _pendingBytes += (_pendingLines.Count > 1 ? 1 : 0) + lineBytes;
        _pendingEnd = lineEnd;
        if (_framing.OneLinePerEntry)
        {
            EmitPending(ready);
        }
    }

    private void EmitPending(Queue<FileEntry> ready)
    {
        var count = _pendingLines.Count;
        while (_framing.TrimsTrailingBlankLines && count > 0 && string.IsNullOrWhiteSpace(_pendingLines[count - 1]))
        {
            count--;
        }

        if (count > 0)
        {
            var text = string.Join('\n', _pendingLines.Take(count));
            if (_droppedLines > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"\n[{_droppedLines} more lines ({_droppedBytes} bytes) left out: the entry is longer than max.entry.bytes ({_maxEntryBytes})]");
            }

            ready.Enqueue(new FileEntry(Path, Identity, _pendingStart, _pendingEnd, text));
        }

        _pendingLines.Clear();
        _pendingBytes = 0;
        _droppedLines = 0;
        _droppedBytes = 0;
    }
}
