namespace Streams.Deploy.Tests.Hcl;

internal enum HclTokenKind
{
    Identifier,
    Number,
    String,
    Heredoc,
    Punctuation,
    Newline,
    End,
}

/// <summary>One token; a string or heredoc carries the tokens of its <c>${…}</c> and <c>%{…}</c> parts.</summary>
internal sealed record HclToken(HclTokenKind Kind, string Text, int Line, IReadOnlyList<HclToken> Template)
{
    public bool Is(string punctuation) => Kind == HclTokenKind.Punctuation && Text == punctuation;

    public override string ToString() => $"{Kind} '{Text}' (line {Line})";
}

/// <summary>A file that is not HCL as far as the reader can tell, with the line.</summary>
internal sealed class HclSyntaxException(string file, int line, string problem) : Exception($"{file}:{line}: {problem}")
{
    public int Line { get; } = line;
}
