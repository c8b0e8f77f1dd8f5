using Streams.Connectors.Files;

namespace Streams.Connectors.Mongodb;

/// <summary>
/// mongod writes one entry per line, structured JSON from 4.4 on and text before: each non-blank line is an entry,
/// complete at its line break.
/// </summary>
internal sealed class MongodbLogFraming : IEntryFraming
{
    public static readonly MongodbLogFraming Instance = new();

    public bool OneLinePerEntry => true;

    public bool TrimsTrailingBlankLines => false;

    public LineRole Classify(string line, string? previousLine) =>
        string.IsNullOrWhiteSpace(line) ? LineRole.Skipped : LineRole.Opens;
}
