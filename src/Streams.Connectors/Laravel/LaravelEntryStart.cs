using System.Text.RegularExpressions;
using Streams.Connectors.Files;

namespace Streams.Connectors.Laravel;

/// <summary>Monolog starts every entry with <c>[YYYY-MM-DD HH:MM:SS</c> (or a T between); other lines continue the entry before.</summary>
internal sealed partial class LaravelEntryStart : IEntryFraming
{
    public static readonly LaravelEntryStart Framing = new();

    public bool OneLinePerEntry => false;

    public bool TrimsTrailingBlankLines => false;

    public static bool IsEntryStart(string line) => StartPattern().IsMatch(line);

    public LineRole Classify(string line, string? previousLine) => IsEntryStart(line) ? LineRole.Opens : LineRole.Continues;

    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex StartPattern();
}
