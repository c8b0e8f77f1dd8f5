using System.Text;

namespace Streams.Connectors.Elb;

/// <summary>One line of a log object and whether it is the object's last.</summary>
internal readonly record struct ObjectLine(string Text, long Number, bool Last);

/// <summary>
/// Reads the non-blank lines of one log object (gunzipped when its name ends in .gz), numbered from 1, one line ahead:
/// a line is handed out only once the next one, or a checked end of the object, has been read. So the last line of a
/// truncated object is never sent, and the last line of a good one is known to be last. Damage shows as
/// <see cref="InvalidDataException"/>; any other exception is the store's.
/// </summary>
internal sealed class ObjectLineReader : IAsyncDisposable
{
    private readonly StreamReader _reader;
    private long _lineNumber;
    private (string Text, long Number)? _ahead;
    private bool _started;
    private Exception? _aheadError;

    private ObjectLineReader(ElbLogObject logObject, Stream stored)
    {
        Object = logObject;
        var data = logObject.Compressed ? new GzipTrailerCheck(stored) : stored;
        _reader = new StreamReader(data, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    public ElbLogObject Object { get; }

    /// <summary>The object opened after its first <paramref name="skipLines"/> lines, or null when it is gone.</summary>
    public static async Task<ObjectLineReader?> OpenAsync(IObjectStore store, ElbLogObject logObject, long skipLines, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(logObject.Key, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        var reader = new ObjectLineReader(logObject, stream);
        try
        {
            while (reader._lineNumber < skipLines && await reader._reader.ReadLineAsync(cancellationToken) is not null)
            {
                reader._lineNumber++;
            }

            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next line, or null at the end of the object.</summary>
    public async ValueTask<ObjectLine?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            _ahead = await NextAsync(cancellationToken);
        }

        if (_aheadError is not null)
        {
            throw _aheadError;
        }

        if (_ahead is not { } current)
        {
            return null;
        }

        try
        {
            _ahead = await NextAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            // The current line is whole (a newline ended it); the damage is reported on the next read.
            _aheadError = ex;
            _ahead = null;
            return new ObjectLine(current.Text, current.Number, Last: false);
        }

        return new ObjectLine(current.Text, current.Number, Last: _ahead is null);
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<(string, long)?> NextAsync(CancellationToken cancellationToken)
    {
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            _lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                return (line, _lineNumber);
            }
        }

        return null;
    }
}
