using System.Text;

namespace Streams.Cli.Tests;

[TestFixture]
public sealed class KibanaImportCommandTests
{
    private static string SavedObjects => Path.Combine(Path.GetDirectoryName(RepoFiles.TopicsYaml)!, "deploy", "kibana", "saved-objects.ndjson");

    private static int ObjectLines => File.ReadAllLines(SavedObjects).Count(l => l.Length > 0);

    [Test]
    public async Task Import_posts_the_ndjson_as_the_multipart_file_field_with_kbn_xsrf_and_overwrite_and_reports_the_count()
    {
        await using var kibana = await KibanaDouble.StartAsync();
        kibana.RequiredAuthorization = "ApiKey c2VjcmV0OmtleQ==";

        var run = await CliRun.RunAsync("kibana", "import", "--url", kibana.Url + "/", "--api-key", "c2VjcmV0OmtleQ==", "--file", SavedObjects);

        var call = kibana.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain($"{ObjectLines} saved objects imported"));
            Assert.That(call.Xsrf, Is.EqualTo("true"));
            Assert.That(call.Overwrite, Is.EqualTo("true"));
            Assert.That(call.ContentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(call.FormFields, Is.EqualTo(new[] { "file" }));
            Assert.That(call.FileName, Is.EqualTo("saved-objects.ndjson"));
            Assert.That(kibana.StoredCount, Is.EqualTo(ObjectLines));
        });
    }

    [Test]
    public async Task Importing_again_with_basic_authentication_overwrites_in_place()
    {
        await using var kibana = await KibanaDouble.StartAsync();
        kibana.RequiredAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:changeme"));

        var first = await CliRun.RunAsync("kibana", "import", "--url", kibana.Url, "--user", "elastic", "--password", "changeme", "--file", SavedObjects);
        var second = await CliRun.RunAsync("kibana", "import", "--url", kibana.Url, "--user", "elastic", "--password", "changeme", "--file", SavedObjects);

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.Error);
            Assert.That(second.ExitCode, Is.Zero, second.Error);
            Assert.That(kibana.StoredCount, Is.EqualTo(ObjectLines), "same fixed ids, no copies");
        });
    }

    [Test]
    public async Task Errors_kibana_reports_per_object_fail_the_command_and_are_listed()
    {
        await using var kibana = await KibanaDouble.StartAsync();
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"broken-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllTextAsync(file, """
            {"type":"lens","id":"streams-orphan","attributes":{"title":"Orphan"},"references":[{"type":"index-pattern","id":"streams-gone","name":"indexpattern-datasource-layer-layer1"}],"coreMigrationVersion":"8.8.0","typeMigrationVersion":"8.9.0"}
            {"type":"index-pattern","id":"streams-fine","attributes":{"title":"fine-*","timeFieldName":"@timestamp"},"references":[],"coreMigrationVersion":"8.8.0","typeMigrationVersion":"8.0.0"}

            """);

        var run = await CliRun.RunAsync("kibana", "import", "--url", kibana.Url, "--file", file);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.ErrorLines, Does.Contain("streams kibana import: lens streams-orphan (\"Orphan\"): missing_references of index-pattern streams-gone"));
            Assert.That(run.ErrorLines, Does.Contain("streams kibana import: the import failed: 1 saved objects imported, 1 with errors"));
        });
    }

    [Test]
    public async Task A_refused_request_fails_with_kibanas_message()
    {
        await using var kibana = await KibanaDouble.StartAsync();
        kibana.RequiredAuthorization = "ApiKey right";

        var run = await CliRun.RunAsync("kibana", "import", "--url", kibana.Url, "--api-key", "wrong", "--file", SavedObjects);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain("Kibana refused the import with HTTP 401: [security_exception]"));
            Assert.That(kibana.StoredCount, Is.Zero);
        });
    }

    [Test]
    public async Task An_unreachable_kibana_fails_with_a_clear_message()
    {
        var run = await CliRun.RunAsync("kibana", "import", "--url", "http://127.0.0.1:9", "--file", SavedObjects);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.StartWith("streams kibana import: cannot reach Kibana at http://127.0.0.1:9/api/saved_objects/_import?overwrite=true"));
        });
    }

    [TestCase("--api-key", "k", "--user", "u", "--password", "p", "--api-key cannot be combined with --user/--password; choose one way to authenticate")]
    [TestCase("--user", "u", "--file", "deploy/kibana/saved-objects.ndjson", null, null, "--user needs --password")]
    [TestCase("--file", "no/such/file.ndjson", null, null, null, null, "--file 'no/such/file.ndjson' does not exist")]
    public async Task Bad_arguments_exit_2_naming_the_option(string a, string b, string? c, string? d, string? e, string? f, string message)
    {
        string[] args = ["kibana", "import", "--url", "http://127.0.0.1:9", a, b, .. new[] { c, d, e, f }.OfType<string>()];
        if (!args.Contains("--file"))
        {
            args = [.. args, "--file", SavedObjects];
        }

        var run = await CliRun.RunAsync(args);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error.Trim(), Is.EqualTo("streams kibana import: " + message));
        });
    }
}
