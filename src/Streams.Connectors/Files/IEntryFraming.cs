namespace Streams.Connectors.Files;

/// <summary>What one line does to the entry being assembled.</summary>
public enum LineRole
{
    /// <summary>Ends the open entry, if any, and opens a new one.</summary>
    Opens,

    /// <summary>Belongs to the open entry (opens one when none is open).</summary>
    Continues,

    /// <summary>Belongs to no entry (a banner, a blank line between entries): ends the open entry.</summary>
    Skipped,
}

/// <summary>
/// How a log format cuts lines into entries: the one thing the tailed sources do not share. Implementations are pure.
/// </summary>
public interface IEntryFraming
{
    /// <summary>Every entry is one line: it is complete at its line break and never waits for the idle timeout.</summary>
    bool OneLinePerEntry { get; }

    /// <summary>Blank lines at the end of an entry are padding: they are left out of its text, not of its bytes.</summary>
    bool TrimsTrailingBlankLines { get; }

    /// <param name="line">The line, without its line break.</param>
    /// <param name="previousLine">The last line of the open entry; null when none is open.</param>
    LineRole Classify(string line, string? previousLine);
}
