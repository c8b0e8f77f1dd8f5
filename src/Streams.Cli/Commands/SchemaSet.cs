using Avro;

namespace Streams.Cli.Commands;

/// <summary>The value subjects of a schemas directory (<c>raw/*.avsc</c>, <c>curated/*.avsc</c>), each parsed with the named types of every other file.</summary>
internal sealed record SchemaSet(IReadOnlyDictionary<string, Schema> BySubject)
{
    /// <summary>Topic name strategy: <c>raw/elb.avsc</c> is the value of topic raw.elb, subject raw.elb-value.</summary>
    public static string SubjectOf(string layer, string source) => $"{layer}.{source}-value";

    /// <summary>Parses every .avsc under <paramref name="directory"/>; the problems name the file when one does not parse.</summary>
    public static (SchemaSet Set, IReadOnlyList<string> Problems) Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        var pending = Directory.GetFiles(directory, "*.avsc", SearchOption.AllDirectories)
            .Where(path => !IsUnder(directory, path, "compat"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var parsed = new List<(string Path, Schema Schema)>();
        var lastError = new Dictionary<string, string>(StringComparer.Ordinal);

        // A file may use types defined in files after it; parse in passes until no file makes progress.
        bool progress;
        do
        {
            progress = false;
            var names = Replay(parsed);
            foreach (var path in pending.ToList())
            {
                try
                {
                    parsed.Add((path, Schema.Parse(File.ReadAllText(path), names, null)));
                    pending.Remove(path);
                    progress = true;
                }
                catch (Exception ex) when (ex is AvroException or Newtonsoft.Json.JsonException)
                {
                    // A failed parse may have left some of the file's types in the table: start again from the files that parsed.
                    lastError[path] = ex.Message;
                    names = Replay(parsed);
                }
            }
        }
        while (progress && pending.Count > 0);

        var problems = pending.Select(path => $"{Path.GetRelativePath(directory, path)}: does not parse: {lastError[path]}").ToList();
        var subjects = new SortedDictionary<string, Schema>(StringComparer.Ordinal);
        foreach (var (path, schema) in parsed)
        {
            var layer = Path.GetFileName(Path.GetDirectoryName(path)!);
            if (layer is "raw" or "curated" && Path.GetDirectoryName(Path.GetDirectoryName(path)) == directory.TrimEnd(Path.DirectorySeparatorChar))
            {
                subjects[SubjectOf(layer, Path.GetFileNameWithoutExtension(path))] = schema;
            }
        }

        return (new SchemaSet(subjects), problems);
    }

    private static SchemaNames Replay(List<(string Path, Schema Schema)> parsed)
    {
        var names = new SchemaNames();
        foreach (var (path, _) in parsed)
        {
            Schema.Parse(File.ReadAllText(path), names, null);
        }

        return names;
    }

    private static bool IsUnder(string directory, string path, string child) =>
        Path.GetRelativePath(directory, path).StartsWith(child + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
