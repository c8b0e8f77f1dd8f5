using System.Text;

namespace Streams.Connectors.Tests.Files;

/// <summary>A temporary directory for tailed log files, and the real samples of tests/corpus.</summary>
internal sealed class LogDirectory : IDisposable
{
    public LogDirectory(string prefix = "tail-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The text of tests/corpus/<paramref name="name"/> without its "# origin:" comment line.</summary>
    public static string Corpus(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "corpus", name);
            if (System.IO.File.Exists(candidate))
            {
                var text = System.IO.File.ReadAllText(candidate);
                return text.StartsWith("# origin:", StringComparison.Ordinal) ? text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..] : text;
            }
        }

        throw new FileNotFoundException("tests/corpus/" + name + " not found above " + TestContext.CurrentContext.TestDirectory);
    }

    public static void Append(string file, string text) => System.IO.File.AppendAllText(file, text, new UTF8Encoding(false));

    public static void Truncate(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.SetLength(0);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
