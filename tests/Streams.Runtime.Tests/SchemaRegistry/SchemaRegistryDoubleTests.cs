using Confluent.SchemaRegistry;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Runtime.Tests.SchemaRegistry;

/// <summary>Confluent's own CachedSchemaRegistryClient against the REST double, over a loopback socket.</summary>
[TestFixture]
public sealed class SchemaRegistryDoubleTests
{
    private const string V1 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"}]}""";
    private const string V2 = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"},{"name":"level","type":"string","default":"info"}]}""";
    private const string AddsRequired = """{"type":"record","name":"Event","namespace":"test","fields":[{"name":"id","type":"string"},{"name":"host","type":"string"}]}""";

    private SchemaRegistryDouble _registry = null!;
    private ISchemaRegistryClient _client = null!;

    [SetUp]
    public async Task Start()
    {
        _registry = await SchemaRegistryDouble.StartAsync();
        _client = AvroSerdes.CreateRegistry(new SchemaRegistrySettings(_registry.Url));
    }

    [TearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    private static Schema Avro(string text) => new(text, SchemaType.Avro);

    [Test]
    public async Task Registers_fetches_by_id_gets_versions_and_looks_up_through_the_real_client()
    {
        var id1 = await _client.RegisterSchemaAsync("t-value", Avro(V1));
        var id2 = await _client.RegisterSchemaAsync("t-value", Avro(V2));
        var again = await _client.RegisterSchemaAsync("t-value", Avro(V1));

        var byId = await _client.GetSchemaAsync(id2);
        var latest = await _client.GetLatestSchemaAsync("t-value");
        var first = await _client.GetRegisteredSchemaAsync("t-value", 1);
        var lookedUp = await _client.LookupSchemaAsync("t-value", Avro(V2), ignoreDeletedSchemas: true, normalize: false);
        var subjects = await _client.GetAllSubjectsAsync();

        Assert.Multiple(() =>
        {
            Assert.That((id1, id2, again), Is.EqualTo((1, 2, 1)));
            Assert.That(global::Avro.Schema.Parse(byId.SchemaString).ToString(), Is.EqualTo(global::Avro.Schema.Parse(V2).ToString()));
            Assert.That((latest.Version, latest.Id), Is.EqualTo((2, 2)));
            Assert.That((first.Version, first.Id), Is.EqualTo((1, 1)));
            Assert.That(lookedUp.Version, Is.EqualTo(2));
            Assert.That(subjects, Is.EqualTo(new[] { "t-value" }));
        });
    }

    [Test]
    public async Task Compatibility_answers_is_compatible_for_a_default_and_not_for_a_required_field()
    {
        await _client.RegisterSchemaAsync("t-value", Avro(V1));

        Assert.That(await _client.IsCompatibleAsync("t-value", Avro(V2)), Is.True);
        Assert.That(await _client.IsCompatibleAsync("t-value", Avro(AddsRequired)), Is.False);
    }

    [Test]
    public async Task The_client_surfaces_each_error_code_of_the_registry()
    {
        await _client.RegisterSchemaAsync("t-value", Avro(V1));

        var incompatible = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync("t-value", Avro(AddsRequired)));
        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync("t-value", Avro("""{"type":"record","name":"Bad","fields":[{"name":"x","type":"nope"}]}""")));
        var noSubject = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetLatestSchemaAsync("missing-value"));
        var noSchema = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetSchemaAsync(99));

        Assert.Multiple(() =>
        {
            Assert.That(incompatible!.ErrorCode, Is.EqualTo(409));
            Assert.That(incompatible.Message, Does.Contain("field 'host' was added without a default"));
            Assert.That(invalid!.ErrorCode, Is.EqualTo(42201));
            Assert.That(noSubject!.ErrorCode, Is.EqualTo(40401));
            Assert.That(noSchema!.ErrorCode, Is.EqualTo(40403));
        });
    }
}
