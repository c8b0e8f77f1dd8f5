namespace Streams.Cli.Tests;

[TestFixture]
public sealed class SchemasCommandTests
{
    [Test]
    public async Task Check_passes_the_repository_schemas_against_their_released_versions()
    {
        var run = await CliRun.RunAsync("schemas", "check", "--schemas", RepoFiles.Schemas);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output.Trim(), Is.EqualTo("8 subjects parse; 8 BACKWARD compatible with the released versions."));
    }

    [Test]
    public async Task Check_fails_naming_subject_and_field_when_a_nullable_field_becomes_required()
    {
        var copy = RepoFiles.CopySchemas();
        var common = Path.Combine(copy, "curated", "common", "source.avsc");
        var text = File.ReadAllText(common);
        var narrowed = text.Replace("""{ "name": "ip", "type": ["null", "string"], "default": null""", """{ "name": "ip", "type": "string" """, StringComparison.Ordinal);
        Assume.That(narrowed, Is.Not.EqualTo(text), "source.avsc declares ip as a nullable string");
        File.WriteAllText(common, narrowed);

        var run = await CliRun.RunAsync("schemas", "check", "--schemas", copy, "--compat", Path.Combine(RepoFiles.Schemas, "compat"));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines, Does.Contain("curated.elb-value: field 'source.ip' changed from [null,string] to string"));
        Assert.That(run.ErrorLines, Has.Length.EqualTo(4), "every curated subject shares Source");
    }

    [Test]
    public async Task Check_refuses_dropping_a_field_without_a_default_naming_the_field()
    {
        var copy = RepoFiles.CopySchemas();
        var elb = Path.Combine(copy, "raw", "elb.avsc");
        var text = File.ReadAllText(elb);
        var dropped = System.Text.RegularExpressions.Regex.Replace(text, @",\s*\{ ""name"": ""line_number""[^}]*\}", string.Empty);
        Assume.That(dropped, Is.Not.EqualTo(text), "raw/elb.avsc ends with line_number");
        File.WriteAllText(elb, dropped);

        var run = await CliRun.RunAsync("schemas", "check", "--schemas", copy, "--compat", Path.Combine(RepoFiles.Schemas, "compat"));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { "raw.elb-value: field 'line_number' was removed without a default: consumers still on the released schema cannot read new records" }));
    }

    [Test]
    public async Task Check_fails_naming_the_enum_symbol_a_raw_schema_removed()
    {
        var copy = RepoFiles.CopySchemas();
        var mysql = Path.Combine(copy, "raw", "mysql.avsc");
        File.WriteAllText(mysql, File.ReadAllText(mysql).Replace(""", "SLOW_FILE"]""", "]", StringComparison.Ordinal));

        var run = await CliRun.RunAsync("schemas", "check", "--schemas", copy, "--compat", Path.Combine(RepoFiles.Schemas, "compat"));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrorLines, Is.EqualTo(new[] { "raw.mysql-value: enum symbol 'SLOW_FILE' of 'MysqlRawKind' removed (field 'kind')" }));
    }

    [Test]
    public async Task Check_fails_naming_the_file_when_a_schema_does_not_parse()
    {
        var copy = RepoFiles.CopySchemas();
        File.WriteAllText(Path.Combine(copy, "raw", "elb.avsc"), """{"type":"record","name":"ElbRaw","fields":[{"name":"x","type":"nope"}]}""");

        var run = await CliRun.RunAsync("schemas", "check", "--schemas", copy);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.StartWith(Path.Combine("raw", "elb.avsc") + ": does not parse:"));
    }

    [Test]
    public async Task Snapshot_writes_one_resolved_schema_per_subject_that_check_then_accepts()
    {
        var compat = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"compat-{Guid.NewGuid():N}");

        var snapshot = await CliRun.RunAsync("schemas", "snapshot", "--schemas", RepoFiles.Schemas, "--compat", compat);
        var check = await CliRun.RunAsync("schemas", "check", "--schemas", RepoFiles.Schemas, "--compat", compat);

        Assert.That(snapshot.ExitCode, Is.Zero, snapshot.Error);
        Assert.That(Directory.GetFiles(compat).Select(Path.GetFileName).ToArray(), Has.Length.EqualTo(8).And.Contain("curated.elb-value.json"));
        Assert.That(File.ReadAllText(Path.Combine(compat, "curated.elb-value.json")), Does.Contain("\"name\":\"Source\""), "referenced types are inlined");
        Assert.That(check.ExitCode, Is.Zero, check.Error);
    }
}
