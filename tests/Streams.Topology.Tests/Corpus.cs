namespace Streams.Topology.Tests;

/// <summary>The real log samples in tests/corpus (copied from the shared corpus; see its README).</summary>
internal static class Corpus
{
    public static string Directory { get; } = Locate();

    /// <summary>The lines of a corpus file without its leading "# origin:" comment.</summary>
    public static string[] Lines(string name) =>
        File.ReadAllLines(Path.Combine(Directory, name))
            .Where(l => !l.StartsWith("# origin:", StringComparison.Ordinal))
            .ToArray();

    /// <summary>The whole text of a corpus file without its leading "# origin:" comment line.</summary>
    public static string Text(string name) => string.Join('\n', Lines(name)) + "\n";

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/corpus not found above " + AppContext.BaseDirectory);
    }
}
