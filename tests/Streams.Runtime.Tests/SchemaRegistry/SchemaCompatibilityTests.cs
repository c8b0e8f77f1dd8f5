using Avro;
using Avro.Generic;
using Avro.IO;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Runtime.Tests.SchemaRegistry;

[TestFixture]
public sealed class SchemaCompatibilityTests
{
    private const string V1 = """
        {"type":"record","name":"Entry","namespace":"t","fields":[
          {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B","X"]}},
          {"name":"event","type":{"type":"record","name":"Event","fields":[{"name":"outcome","type":"string"}]}},
          {"name":"source","type":["null",{"type":"record","name":"Source","fields":[{"name":"ip","type":["null","string"],"default":null}]}],"default":null},
          {"name":"count","type":"int"}]}
        """;

    private static Schema Edit(string from, string to) => Schema.Parse(V1.Replace(from, to, StringComparison.Ordinal));

    [Test]
    public void Identical_schemas_and_an_added_field_with_a_default_have_no_problems()
    {
        var withDefault = Edit("""{"name":"count","type":"int"}""", """{"name":"count","type":"int"},{"name":"level","type":"string","default":"info"}""");

        Assert.That(SchemaCompatibility.BackwardProblems(Schema.Parse(V1), Schema.Parse(V1)), Is.Empty);
        Assert.That(SchemaCompatibility.BackwardProblems(withDefault, Schema.Parse(V1)), Is.Empty);
    }

    [Test]
    public void Widening_int_to_long_is_compatible_and_narrowing_long_to_int_is_not()
    {
        var wide = Edit("""{"name":"count","type":"int"}""", """{"name":"count","type":"long"}""");

        Assert.That(SchemaCompatibility.BackwardProblems(wide, Schema.Parse(V1)), Is.Empty);
        Assert.That(SchemaCompatibility.BackwardProblems(Schema.Parse(V1), wide), Is.EqualTo(new[] { "field 'count' changed from long to int" }));
    }

    [Test]
    public void A_nested_field_the_writer_lacks_without_a_default_is_refused_by_its_path()
    {
        var reader = Edit("""{"name":"outcome","type":"string"}""", """{"name":"outcome","type":"string"},{"name":"reason","type":"string"}""");

        Assert.That(SchemaCompatibility.BackwardProblems(reader, Schema.Parse(V1)),
            Is.EqualTo(new[] { "field 'event.reason' was added without a default (the writer does not have it)" }));
    }

    [Test]
    public void Narrowing_a_nullable_string_to_string_is_refused_though_Apache_Avro_accepts_it()
    {
        var reader = Edit("""{"name":"ip","type":["null","string"],"default":null}""", """{"name":"ip","type":"string"}""");

        Assert.That(reader.CanRead(Schema.Parse(V1)), Is.True, "Apache.Avro's own check is laxer");
        Assert.That(SchemaCompatibility.BackwardProblems(reader, Schema.Parse(V1)),
            Is.EqualTo(new[] { "field 'source.ip' changed from [null,string] to string" }));
    }

    [Test]
    public void Removing_an_enum_symbol_is_refused_naming_symbol_enum_and_field()
    {
        var reader = Edit("""["A","B","X"]""", """["A","B"]""");

        Assert.That(SchemaCompatibility.BackwardProblems(reader, Schema.Parse(V1)),
            Is.EqualTo(new[] { "enum symbol 'X' of 'Kind' removed (field 'kind')" }));
    }

    [Test]
    public void Renaming_a_field_by_alias_is_refused_because_the_decoder_ignores_aliases()
    {
        var reader = Edit("""{"name":"count","type":"int"}""", """{"name":"total","aliases":["count"],"type":"int"}""");

        Assert.That(SchemaCompatibility.BackwardProblems(reader, Schema.Parse(V1)),
            Is.EqualTo(new[] { "field 'total' renames writer field 'count' by alias, which the decoder does not resolve" }));
    }

    [Test]
    public void What_CanRead_accepts_for_a_narrowed_union_fails_when_a_null_is_decoded()
    {
        var writer = (RecordSchema)Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"ip","type":["null","string"],"default":null}]}""");
        var reader = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"ip","type":"string"}]}""");
        var record = new GenericRecord(writer);
        record.Add("ip", null);
        using var bytes = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(writer).Write(record, new BinaryEncoder(bytes));
        bytes.Position = 0;

        Assert.That(reader.CanRead(writer), Is.True);
        Assert.That(() => new GenericDatumReader<GenericRecord>(writer, reader).Read(reuse: null!, new BinaryDecoder(bytes)), Throws.InstanceOf<AvroException>());
        Assert.That(SchemaCompatibility.BackwardProblems(reader, writer), Is.EqualTo(new[] { "field 'ip' changed from [null,string] to string" }));
    }
}
