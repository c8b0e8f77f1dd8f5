using NUnit.Framework;
using Streams.Deploy.Tests.Hcl;

namespace Streams.Deploy.Tests;

/// <summary>
/// What <c>terraform validate</c> would catch without a provider download: every file parses, every variable
/// referenced is declared and every declared one used, every module source exists and every module call passes
/// exactly the module's variables, every module output and local used exists.
/// </summary>
[TestFixture]
public sealed class TerraformTests
{
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Repo.Terraform, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".tf", StringComparison.Ordinal) || f.EndsWith(".tfvars", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repo.Terraform, f))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> Modules() =>
        new[] { "." }.Concat(Directory.EnumerateDirectories(Path.Combine(Repo.Terraform, "modules")).Select(d => Path.GetRelativePath(Repo.Terraform, d)).Order(StringComparer.Ordinal));

    [TestCaseSource(nameof(Files))]
    public void The_file_parses(string file) => Assert.DoesNotThrow(() => HclParser.ParseFile(Path.Combine(Repo.Terraform, file)));

    [TestCaseSource(nameof(Modules))]
    public void Every_variable_referenced_is_declared_and_every_declared_one_is_used(string module)
    {
        var m = TerraformModule.Load(module);
        var referenced = m.Body.SelectMany(b => b.References("var")).Select(r => r.Name).ToHashSet();
        Assert.That(referenced.Except(m.Variables.Keys), Is.Empty, $"{module}: var.x without variable \"x\"");
        Assert.That(m.Variables.Keys.Except(referenced), Is.Empty, $"{module}: variables declared and never used");
    }

    [TestCaseSource(nameof(Modules))]
    public void Every_variable_and_output_says_what_it_is(string module)
    {
        var m = TerraformModule.Load(module);
        Assert.That(m.Variables.Where(v => string.IsNullOrWhiteSpace(v.Value.Body.Attribute("description")?.StringValue)).Select(v => v.Key), Is.Empty, "variables without a description");
        Assert.That(m.Variables.Where(v => v.Value.Body.Attribute("type") is null).Select(v => v.Key), Is.Empty, "variables without a type");
        Assert.That(m.Outputs.Where(o => string.IsNullOrWhiteSpace(o.Value.Body.Attribute("description")?.StringValue)).Select(o => o.Key), Is.Empty, "outputs without a description");
    }

    [TestCaseSource(nameof(Modules))]
    public void Every_local_used_is_defined(string module)
    {
        var m = TerraformModule.Load(module);
        var defined = m.Blocks("locals").SelectMany(l => l.Body.Attributes).Select(a => a.Name).ToList();
        Assert.That(defined, Is.Unique, $"{module}: a local defined twice");
        var used = m.Body.SelectMany(b => b.References("local")).Select(r => r.Name).ToHashSet();
        Assert.That(used.Except(defined), Is.Empty, $"{module}: local.x without a definition");
    }

    [TestCaseSource(nameof(Modules))]
    public void Every_module_call_has_an_existing_source_and_passes_exactly_its_variables(string module)
    {
        var m = TerraformModule.Load(module);
        foreach (var call in m.Blocks("module"))
        {
            var source = call.Body.Attribute("source")?.StringValue;
            Assert.That(source, Does.StartWith("./"), $"{module}: module {call.Labels[0]} has a local source");
            var target = Path.GetRelativePath(Repo.Terraform, Path.GetFullPath(Path.Combine(Repo.Terraform, module, source!)));
            Assert.That(Directory.Exists(Path.Combine(Repo.Terraform, target)) && Directory.EnumerateFiles(Path.Combine(Repo.Terraform, target), "*.tf").Any(), $"module {call.Labels[0]}: {source} has no .tf files");
            var called = TerraformModule.Load(target);
            var passed = call.Body.Attributes.Select(a => a.Name).Where(n => n is not ("source" or "depends_on" or "providers" or "count" or "for_each")).ToHashSet();
            Assert.That(passed.Except(called.Variables.Keys), Is.Empty, $"module {call.Labels[0]}: arguments {source} does not declare");
            var required = called.Variables.Where(v => v.Value.Body.Attribute("default") is null).Select(v => v.Key);
            Assert.That(required.Except(passed), Is.Empty, $"module {call.Labels[0]}: required variables not passed");
        }
    }

    [TestCaseSource(nameof(Modules))]
    public void Every_module_output_used_exists(string module)
    {
        var m = TerraformModule.Load(module);
        var calls = m.Blocks("module").ToDictionary(c => c.Labels[0], c => TerraformModule.Load(Path.GetRelativePath(Repo.Terraform, Path.GetFullPath(Path.Combine(Repo.Terraform, module, c.Body.Attribute("source")!.StringValue!)))));
        foreach (var (name, output, line) in m.Body.SelectMany(b => b.References2("module")))
        {
            Assert.That(calls, Contains.Key(name), $"{module}:{line}: module.{name} is not called here");
            Assert.That(calls[name].Outputs, Contains.Key(output), $"{module}:{line}: module.{name}.{output} is not an output of it");
        }
    }

    [Test]
    public void The_root_module_outputs_the_kibana_url_and_the_bootstrap_servers()
    {
        var root = TerraformModule.Load(".");
        Assert.That(root.Outputs.Keys, Is.SupersetOf(new[] { "kibana_url", "bootstrap_servers" }));
    }

    [Test]
    public void Every_root_variable_without_a_default_is_validated() =>
        Assert.That(TerraformModule.Load(".").Variables.Where(v => v.Value.Body.Attribute("default") is null && !v.Value.Body.BlocksOf("validation").Any()).Select(v => v.Key), Is.Empty);

    [TestCaseSource(nameof(Examples))]
    public void An_example_sets_only_declared_variables_and_every_required_one(string example)
    {
        var root = TerraformModule.Load(".");
        var values = HclParser.ParseFile(Path.Combine(Repo.Terraform, example)).Attributes.Select(a => a.Name).ToList();
        Assert.That(values.Except(root.Variables.Keys), Is.Empty, "values for undeclared variables");
        Assert.That(root.Variables.Where(v => v.Value.Body.Attribute("default") is null).Select(v => v.Key).Except(values), Is.Empty, "required variables missing");
    }

    [Test]
    public void Every_placeholder_of_the_task_definitions_is_filled_by_the_streams_module()
    {
        var streams = TerraformModule.Load("modules/streams");
        var locals = streams.Blocks("locals").SelectMany(l => l.Body.Attributes).ToDictionary(a => a.Name);
        var provided = locals["template_vars"].ObjectKeys().Append("task_role_arn").ToHashSet();
        foreach (var file in Repo.TaskDefinitions)
        {
            var placeholders = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"\$\{([a-z_]+)\}").Select(m => m.Groups[1].Value).ToHashSet();
            Assert.That(placeholders.Except(provided), Is.Empty, $"{Path.GetFileName(file)}: placeholders templatefile() is not given");
        }
    }

    [Test]
    public void The_streams_module_finds_a_task_definition_for_every_service_it_can_run()
    {
        var root = TerraformModule.Load(".");
        var connectors = root.Variables["connectors"].Body.Attribute("default")!.Expression.Where(t => t.Kind == HclTokenKind.String).Select(t => t.Text);
        var expected = connectors.Select(c => $"connect-{c}.json").Append("topology.json").Append("sink.json");
        Assert.That(Repo.TaskDefinitions.Select(Path.GetFileName), Is.EquivalentTo(expected));
        Assert.That(root.Blocks("module").Single(b => b.Labels[0] == "streams").Body.Attribute("task_definitions_dir")!.Expression.Single().Template.Count, Is.GreaterThan(0));
        Assert.That(Path.GetFullPath(Path.Combine(Repo.Terraform, "../ecs")), Is.EqualTo(Path.GetFullPath(Repo.Ecs)), "task_definitions_dir points at deploy/ecs");
    }

    public static IEnumerable<string> Examples() => Files().Where(f => f.StartsWith("examples", StringComparison.Ordinal));
}

/// <summary>The files of one Terraform module read as one body each.</summary>
internal sealed class TerraformModule
{
    private TerraformModule(IReadOnlyList<HclBody> body) => Body = body;

    public IReadOnlyList<HclBody> Body { get; }

    public IReadOnlyDictionary<string, HclBlock> Variables => Blocks("variable").ToDictionary(b => b.Labels[0]);

    public IReadOnlyDictionary<string, HclBlock> Outputs => Blocks("output").ToDictionary(b => b.Labels[0]);

    public static TerraformModule Load(string relativeDirectory) =>
        new(Directory.EnumerateFiles(Path.Combine(Repo.Terraform, relativeDirectory), "*.tf").Order(StringComparer.Ordinal).Select(HclParser.ParseFile).ToList());

    public IEnumerable<HclBlock> Blocks(string type) => Body.SelectMany(b => b.BlocksOf(type));
}
