using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>Registry settings as Kafka users write them: <c>schema.registry.url</c>, <c>basic.auth.user.info</c>.</summary>
public sealed record SchemaRegistrySettings(string Url, string? BasicAuthUserInfo = null, bool? AutoRegisterSchemas = null)
{
    public bool IsMock => Url.StartsWith("mock://", StringComparison.OrdinalIgnoreCase);

    /// <summary>On for the embedded default (mock://), off in production where schemas are registered ahead by CI.</summary>
    public bool EffectiveAutoRegister => AutoRegisterSchemas ?? IsMock;
}

/// <summary>
/// Serdes over Confluent's AvroSerializer/AvroDeserializer (Confluent wire format, TopicNameStrategy), as Streamiz's
/// SchemaAvroSerDes wraps them; the registry client is chosen by one factory from the URL.
/// </summary>
public static class AvroSerdes
{
    public static ISchemaRegistryClient CreateRegistry(SchemaRegistrySettings settings)
    {
        if (settings.IsMock)
        {
            return MockSchemaRegistry.ForScope(settings.Url["mock://".Length..]);
        }

        var config = new SchemaRegistryConfig { Url = settings.Url };
        if (settings.BasicAuthUserInfo is { } userInfo)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = userInfo;
        }

        return new CachedSchemaRegistryClient(config);
    }

    public static Serde<T> Specific<T>(ISchemaRegistryClient registry, SchemaRegistrySettings settings)
        where T : ISpecificRecord
    {
        var serializerConfig = new AvroSerializerConfig
        {
            AutoRegisterSchemas = settings.EffectiveAutoRegister,
            UseLatestVersion = !settings.EffectiveAutoRegister,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        };
        var serializer = new CachedAvroSerializer<T>(new AvroSerializer<T>(registry, serializerConfig).AsSyncOverAsync());
        return new Serde<T>(serializer, SpecificDeserializer<T>(registry));
    }

    /// <summary>
    /// A deserializer of Confluent's wire format for a generated type: the writer schema of each id from the registry,
    /// once; the records decoded by a <see cref="SpecificRecordDecoder"/> planned for the type's own schema, or by a
    /// cached datum reader for any other writer schema (no task per record, unlike Confluent's sync-over-async one).
    /// </summary>
    public static IDeserializer<T> SpecificDeserializer<T>(ISchemaRegistryClient registry)
        where T : ISpecificRecord => new CachedAvroDeserializer<T>(registry);
}
