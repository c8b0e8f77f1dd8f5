using System.Text.RegularExpressions;

namespace Streams.Connectors.Laravel;

/// <summary>Monolog starts every entry with <c>[YYYY-MM-DD HH:MM:SS</c> (or a T between); other lines continue the entry before.</summary>
internal static partial class LaravelEntryStart
{
    public static bool IsEntryStart(string line) => StartPattern().IsMatch(line);

    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex StartPattern();
}
