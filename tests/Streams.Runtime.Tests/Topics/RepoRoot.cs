namespace Streams.Runtime.Tests.Topics;

/// <summary>The repository checkout the tests run from, found by walking up to Streams.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string TopicsYaml => System.IO.Path.Combine(Path, "topics.yaml");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Streams.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Streams.sln above " + TestContext.CurrentContext.TestDirectory);
    }
}
