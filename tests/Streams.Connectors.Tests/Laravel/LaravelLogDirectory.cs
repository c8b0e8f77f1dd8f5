using System.Text;

namespace Streams.Connectors.Tests.Laravel;

/// <summary>A temporary log directory, and the entries of tests/corpus/laravel.log.</summary>
internal sealed class LaravelLogDirectory : IDisposable
{
    public LaravelLogDirectory()
    {
        Path = Directory.CreateTempSubdirectory("laravel-tail-").FullName;
    }

    public string Path { get; }

    public string Glob => System.IO.Path.Combine(Path, "laravel*.log");

    public string LogFile => System.IO.Path.Combine(Path, "laravel.log");

    /// <summary>The corpus split by hand: its first entry carries a stack trace over six lines.</summary>
    public static IReadOnlyList<string> CorpusEntries()
    {
        var lines = File.ReadAllLines(CorpusFile());
        return [string.Join('\n', lines[..6]), .. lines[6..]];
    }

    /// <summary>Numbered entries, every third with a stack trace.</summary>
    public static IReadOnlyList<string> NumberedEntries(int count, string tag = "e") =>
        Enumerable.Range(0, count).Select(i => i % 3 == 0
            ? $"[2026-11-25 10:{i / 60:00}:{i % 60:00}] production.ERROR: {tag}{i} failed\n[stacktrace]\n#0 /var/www/app.php(1): f()\n#1 {{main}}"
            : $"[2026-11-25T10:{i / 60:00}:{i % 60:00}] production.INFO: {tag}{i} ok").ToList();

    public static void Append(string file, IEnumerable<string> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry).Append('\n');
        }

        File.AppendAllText(file, text.ToString());
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static string CorpusFile()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "corpus", "laravel.log");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/corpus/laravel.log not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
