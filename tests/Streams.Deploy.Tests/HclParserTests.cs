using NUnit.Framework;
using Streams.Deploy.Tests.Hcl;

namespace Streams.Deploy.Tests;

/// <summary>The reader refuses what is not HCL, so that "every file parses" means something.</summary>
[TestFixture]
public sealed class HclParserTests
{
    [TestCase("a = \"unterminated\n", 1)]
    [TestCase("block {\n  a = 1\n", 2)]
    [TestCase("a = [1, 2\n", 1)]
    [TestCase("a = (1 + 2]\n", 1)]
    [TestCase("a = 1 +\n", 1)]
    [TestCase("a =\n", 1)]
    [TestCase("x {\n}\n}\n", 3)]
    [TestCase("a = 1 b = 2\n", 1)]
    [TestCase("a = \"${}\"\n", 1)]
    [TestCase("a = <<EOT\nnever closed\n", 1)]
    [TestCase("a = 1\na = 2\n", 2)]
    [TestCase("resource \"x\" \"y\" = 3\n", 1)]
    [TestCase("a = \"\\q\"\n", 1)]
    [TestCase("a = 1 ; b = 2\n", 1)]
    public void Malformed_input_is_refused_with_its_line(string text, int line)
    {
        var ex = Assert.Throws<HclSyntaxException>(() => HclParser.Parse("test.tf", text));
        Assert.That(ex!.Line, Is.EqualTo(line), ex.Message);
    }

    [Test]
    public void Blocks_attributes_and_references_inside_templates_and_heredocs_are_read()
    {
        var body = HclParser.Parse("test.tf", """
            # comment
            module "kafka" {
              source = "./modules/kafka"
              name   = "${var.name}-${local.suffix}" // trailing comment
              list   = [for s in var.items : upper(s) if s != ""]
              script = <<-EOT
                echo ${module.net.vpc_id} $HOME
              EOT
              nested {
                x = { a = 1, "b" = var.b }
              }
              lifecycle { ignore_changes = [tags] }
            }
            """);
        var module = body.BlocksOf("module").Single();
        Assert.That(module.Labels, Is.EqualTo(new[] { "kafka" }));
        Assert.That(module.Body.Attribute("source")!.StringValue, Is.EqualTo("./modules/kafka"));
        Assert.That(body.References("var").Select(r => r.Name), Is.EquivalentTo(new[] { "name", "items", "b" }));
        Assert.That(body.References("local").Select(r => r.Name), Is.EqualTo(new[] { "suffix" }));
        Assert.That(body.References2("module").Select(r => (r.Name, r.Attribute)), Is.EqualTo(new[] { ("net", "vpc_id") }));
        Assert.That(module.Body.BlocksOf("nested").Single().Body.Attribute("x")!.ObjectKeys(), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(module.Body.BlocksOf("lifecycle").Single().Body.Attribute("ignore_changes"), Is.Not.Null);
    }
}
