namespace Streams.Topology.Parsing;

/// <summary>
/// The outcome of a pure parser: a value, or the reason the input cannot be curated.
/// Parsers never throw on data; the reason travels to the dead-letter topic.
/// </summary>
public readonly record struct ParseResult<T>
    where T : class
{
    private ParseResult(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public string? Error { get; }

    public bool IsSuccess => Value is not null;

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Fail(string reason) => new(null, reason);
}
