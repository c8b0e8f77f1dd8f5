using System.Text;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Contracts;
using Streams.Contracts.Documents;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Testing;
using Streams.Topology.Geo;

namespace Streams.Topology.Curation;

/// <summary>A curated document as the sink indexes it.</summary>
public sealed record CuratedDocument(string Index, string Id, byte[] Source);

/// <summary>Input that could not be curated, with why and the text it came from.</summary>
public sealed record DeadLetteredInput(string Stage, string Reason, string Original);

/// <summary>
/// The curation topology run on native log text in the test driver (dedup included), with its own mock:// registry:
/// what `streams curate` prints, and the reference the cluster runs are compared with.
/// </summary>
public static class OfflineCuration
{
    public static (List<CuratedDocument> Documents, List<DeadLetteredInput> DeadLetters) Run(
        string kind, string text, string origin, DateTime ingestedAt, GeoIpEnricher geo, TimeZoneInfo timeZone) =>
        Run(NativeText.Read(kind, text, origin, ingestedAt), ingestedAt, geo, timeZone);

    /// <summary>The same for raw records as a connector produced them (the log tables, which have no native text).</summary>
    public static (List<CuratedDocument> Documents, List<DeadLetteredInput> DeadLetters) Run(
        IEnumerable<NativeRecord> records, DateTime ingestedAt, GeoIpEnricher geo, TimeZoneInfo timeZone)
    {
        var scope = "curate-" + Guid.NewGuid().ToString("N");
        var registry = MockSchemaRegistry.ForScope(scope);
        try
        {
            var options = new CurationOptions { Registry = new SchemaRegistrySettings("mock://" + scope), Geo = geo, LocalTimeZone = timeZone };
            var engine = CurationTopology.EngineDefaults(options);
            engine[StreamsConfig.BootstrapServersKey] = "curate:9092";
            using var driver = new TopologyTestDriver(CurationTopology.Build(options, new CurationMetrics(), registry), StreamsConfig.FromProperties(engine));
            var serdes = new RecordSerdes(registry);
            var timestamp = new DateTimeOffset(DateTime.SpecifyKind(ingestedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            foreach (var record in records)
            {
                driver.PipeInput(record.Topic, Encoding.UTF8.GetBytes(record.Key), serdes.Serialize(record.Raw, record.Topic), timestamp);
            }

            var documents = new List<CuratedDocument>();
            foreach (var topic in driver.OutputTopics.Where(t => t.StartsWith("curated.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var type = SchemaCatalog.For(topic["curated.".Length..]).CuratedType;
                foreach (var r in driver.Output(topic))
                {
                    var curated = serdes.Deserialize(type, r.Value!, topic);
                    documents.Add(new CuratedDocument(EcsIndexNames.For(curated), Encoding.UTF8.GetString(r.Key!), EcsDocumentWriter.ToUtf8(curated)));
                }
            }

            var dead = driver.Output(options.DeadLetterTopic)
                .Select(d => new DeadLetteredInput(
                    d.Header(DeadLetters.HeaderPrefix + "stage") ?? string.Empty,
                    d.Header(DeadLetters.HeaderPrefix + "reason") ?? string.Empty,
                    serdes.OriginalText(d.Value, d.Header(DeadLetters.HeaderPrefix + "topic") ?? string.Empty)))
                .ToList();
            return (documents, dead);
        }
        finally
        {
            MockSchemaRegistry.DropScope(scope);
        }
    }

    /// <summary>Confluent's Avro serdes for a type known only at run time.</summary>
    private sealed class RecordSerdes(ISchemaRegistryClient registry)
    {
        public byte[] Serialize(ISpecificRecord raw, string topic) =>
            (byte[])Generic(nameof(SerializeTyped), raw.GetType()).Invoke(this, [raw, topic])!;

        public ISpecificRecord Deserialize(Type type, byte[] value, string topic) =>
            (ISpecificRecord)Generic(nameof(DeserializeTyped), type).Invoke(this, [value, topic])!;

        /// <summary>The text inside a dead-lettered raw record, or its bytes in base64 when they were not a raw record.</summary>
        public string OriginalText(byte[]? value, string topic)
        {
            if (value is null)
            {
                return string.Empty;
            }

            try
            {
                var raw = Deserialize(SchemaCatalog.For(topic["raw.".Length..]).RawType, value, topic);
                var field = ((Avro.RecordSchema)raw.Schema).Fields.FirstOrDefault(f => f.Name == "text");
                return field is null ? string.Empty : raw.Get(field.Pos) as string ?? string.Empty;
            }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException or ArgumentException or KeyNotFoundException)
            {
                return Convert.ToBase64String(value);
            }
        }

        private static System.Reflection.MethodInfo Generic(string name, Type type) =>
            typeof(RecordSerdes).GetMethod(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.MakeGenericMethod(type);

        private byte[] SerializeTyped<T>(T raw, string topic)
            where T : ISpecificRecord =>
            new AvroSerializer<T>(registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync()
                .Serialize(raw, new SerializationContext(MessageComponentType.Value, topic));

        private T DeserializeTyped<T>(byte[] value, string topic)
            where T : ISpecificRecord =>
            new AvroDeserializer<T>(registry).AsSyncOverAsync().Deserialize(value, false, new SerializationContext(MessageComponentType.Value, topic));
    }
}
