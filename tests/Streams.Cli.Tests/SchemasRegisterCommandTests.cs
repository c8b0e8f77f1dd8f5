using Streams.Runtime.Tests.SchemaRegistry;

namespace Streams.Cli.Tests;

[TestFixture]
public sealed class SchemasRegisterCommandTests
{
    [Test]
    public async Task Register_registers_every_subject_then_check_and_register_refuse_an_incompatible_change_against_the_registry()
    {
        await using var registry = await SchemaRegistryDouble.StartAsync();
        var copy = RepoFiles.CopySchemas();
        var elb = Path.Combine(copy, "raw", "elb.avsc");
        File.WriteAllText(elb, File.ReadAllText(elb).Replace(
            """{ "name": "origin", "type": "string",""", """{ "name": "region", "type": "string" }, { "name": "origin", "type": "string",""", StringComparison.Ordinal));

        var register = await CliRun.RunAsync("schemas", "register", "--schemas", RepoFiles.Schemas, "--schema-registry", registry.Url);
        var unchanged = await CliRun.RunAsync("schemas", "check", "--schemas", RepoFiles.Schemas, "--schema-registry", registry.Url);
        var check = await CliRun.RunAsync("schemas", "check", "--schemas", copy, "--schema-registry", registry.Url);
        var refused = await CliRun.RunAsync("schemas", "register", "--schemas", copy, "--schema-registry", registry.Url);

        Assert.That(register.ExitCode, Is.Zero, register.Error);
        Assert.That(register.OutputLines, Has.Length.EqualTo(8).And.Contain("curated.elb-value: id 1"));
        Assert.That(unchanged.ExitCode, Is.Zero, unchanged.Error);
        Assert.That(unchanged.Output.Trim(), Is.EqualTo($"8 subjects parse; 8 BACKWARD compatible with {registry.Url}."));
        Assert.That(check.ExitCode, Is.EqualTo(1));
        Assert.That(check.ErrorLines, Is.EqualTo(new[] { "raw.elb-value: field 'region' was added without a default (the writer does not have it)" }));
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(refused.ErrorLines[0], Does.StartWith("raw.elb-value: refused by the registry: Schema being registered is incompatible").And.Contain("field 'region'"));
    }
}
