namespace Streams.Runtime.Topics;

/// <summary>A problem in a topics file, printed as compilers do: <c>topics.yaml:12: message</c>.</summary>
public sealed record TopicsError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
