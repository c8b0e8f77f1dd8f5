using Streams.AvroCodeGen;

namespace Streams.Contracts.Tests;

/// <summary>The build-time generator on small schema sets in a scratch directory.</summary>
[TestFixture]
public sealed class CodeGeneratorTests
{
    private string schemaDirectory = null!;
    private string outputDirectory = null!;

    [SetUp]
    public void CreateScratchDirectories()
    {
        var root = Path.Combine(Path.GetTempPath(), "streams-avrocodegen-" + Guid.NewGuid().ToString("N"));
        schemaDirectory = Path.Combine(root, "schemas");
        outputDirectory = Path.Combine(root, "Generated");
        Directory.CreateDirectory(schemaDirectory);
    }

    [TearDown]
    public void DeleteScratchDirectories() => Directory.Delete(Path.GetDirectoryName(schemaDirectory)!, recursive: true);

    [Test]
    public void The_repository_schemas_are_ordered_common_types_before_the_records_using_them()
    {
        var ordered = SchemaFile.InDependencyOrder(SchemaFiles.Paths.Select(SchemaFile.Load).ToList()).Select(file => SchemaFiles.Relative(file.Path)).ToList();

        Assert.That(ordered.IndexOf("curated/common/geo.avsc"), Is.LessThan(ordered.IndexOf("curated/common/source.avsc")));
        Assert.That(ordered.IndexOf("curated/common/as.avsc"), Is.LessThan(ordered.IndexOf("curated/common/source.avsc")));
        Assert.That(ordered.IndexOf("curated/common/source.avsc"), Is.LessThan(ordered.IndexOf("curated/mysql.avsc")));
    }

    [Test]
    public void A_type_from_another_file_resolves_whatever_the_file_names()
    {
        // a.avsc sorts first but needs z.avsc's type.
        Write("a.avsc", Record("Test.Outer", """{"name": "inner", "type": "Test.Inner"}"""));
        Write("z.avsc", Record("Test.Inner", """{"name": "value", "type": "string"}"""));

        var count = SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory);

        Assert.That(count, Is.EqualTo(2));
        Assert.That(File.ReadAllText(Path.Combine(outputDirectory, "Test.Outer.cs")), Does.Contain("public Test.Inner inner"));
    }

    [Test]
    public void A_changed_schema_changes_the_generated_code_and_stale_files_go()
    {
        Write("a.avsc", Record("Test.First", """{"name": "value", "type": "string"}"""));
        SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory);

        File.Delete(Path.Combine(schemaDirectory, "a.avsc"));
        Write("b.avsc", Record("Test.Second", """{"name": "value", "type": "string"}, {"name": "added", "type": ["null", "long"], "default": null}"""));
        SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory);

        Assert.That(Directory.GetFiles(outputDirectory).Select(Path.GetFileName), Is.EqualTo(new[] { "Test.Second.cs" }));
        Assert.That(File.ReadAllText(Path.Combine(outputDirectory, "Test.Second.cs")), Does.Contain("System.Nullable<System.Int64> added"));
    }

    [Test]
    public void Two_types_with_one_simple_name_are_refused()
    {
        Write("a.avsc", Record("One.Same", """{"name": "value", "type": "string"}"""));
        Write("b.avsc", Record("Two.Same", """{"name": "value", "type": "string"}"""));

        Assert.That(
            () => SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("One.Same").And.Message.Contains("Two.Same"));
    }

    [Test]
    public void One_type_defined_in_two_files_is_refused()
    {
        Write("a.avsc", Record("Test.Twice", """{"name": "value", "type": "string"}"""));
        Write("b.avsc", Record("Test.Twice", """{"name": "value", "type": "string"}"""));

        Assert.That(
            () => SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory),
            Throws.InstanceOf<SchemaFileException>().With.Message.Contains("Test.Twice is already defined"));
    }

    [Test]
    public void An_undefined_type_is_reported_with_its_file()
    {
        Write("a.avsc", Record("Test.Outer", """{"name": "inner", "type": "Test.Missing"}"""));

        Assert.That(
            () => SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory),
            Throws.InstanceOf<SchemaFileException>()
                .With.Property(nameof(SchemaFileException.Path)).EqualTo(Path.Combine(schemaDirectory, "a.avsc"))
                .And.Message.Contains("Undefined name: Test.Missing"));
    }

    [Test]
    public void Files_referencing_each_other_in_a_cycle_are_refused()
    {
        Write("a.avsc", Record("Test.A", """{"name": "b", "type": ["null", "Test.B"], "default": null}"""));
        Write("b.avsc", Record("Test.B", """{"name": "a", "type": ["null", "Test.A"], "default": null}"""));

        Assert.That(
            () => SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory),
            Throws.InstanceOf<SchemaFileException>().With.Message.Contains("cycle"));
    }

    [Test]
    public void A_file_that_is_not_JSON_is_reported_with_its_file()
    {
        Write("broken.avsc", """{"type": "record", """);

        Assert.That(
            () => SchemaCodeGenerator.Generate(schemaDirectory, outputDirectory),
            Throws.InstanceOf<SchemaFileException>().With.Property(nameof(SchemaFileException.Path)).EqualTo(Path.Combine(schemaDirectory, "broken.avsc")));
    }

    private static string Record(string fullName, string fields)
    {
        var lastDot = fullName.LastIndexOf('.');
        return $$"""{"type": "record", "name": "{{fullName[(lastDot + 1)..]}}", "namespace": "{{fullName[..lastDot]}}", "fields": [{{fields}}]}""";
    }

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(schemaDirectory, name), json);
}
