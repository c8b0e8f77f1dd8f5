using System.Text;
using System.Text.Json;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streams.Contracts.Documents;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;
using Streams.Runtime.Testing;
using Streams.Topology.Curation;
using Streams.Topology.Geo;

namespace Streams.Cli.Commands;

/// <summary>
/// `streams curate`: a source's native text through the real curation topology (in the test driver, dedup included),
/// printing each curated event as the sink would index it and each dead letter to the error stream.
/// </summary>
internal sealed class CurateRunner(TextWriter output, TextWriter errors)
{
    public int Run(string kind, string text, string origin, GeoIpEnricher geo, TimeZoneInfo timeZone)
    {
        var scope = "curate-" + Guid.NewGuid().ToString("N");
        var registry = MockSchemaRegistry.ForScope(scope);
        var options = new CurationOptions { Registry = new SchemaRegistrySettings("mock://" + scope), Geo = geo, LocalTimeZone = timeZone };
        var engine = CurationTopology.EngineDefaults(options);
        engine[StreamsConfig.BootstrapServersKey] = "curate:9092";
        var metrics = new CurationMetrics();
        using var driver = new TopologyTestDriver(CurationTopology.Build(options, metrics, registry), StreamsConfig.FromProperties(engine));
        var serializer = new RawSerializer(registry);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var record in NativeText.Read(kind, text, origin, DateTime.UtcNow))
        {
            driver.PipeInput(record.Topic, Encoding.UTF8.GetBytes(record.Key), serializer.Serialize(record.Raw, record.Topic), timestamp);
        }

        foreach (var topic in driver.OutputTopics.Where(t => t.StartsWith("curated.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            foreach (var r in driver.Output(topic))
            {
                var curated = serializer.DeserializeCurated(r.Value!, topic);
                WriteDocument(EcsIndexNames.For(curated), Encoding.UTF8.GetString(r.Key!), EcsDocumentWriter.ToUtf8(curated));
            }
        }

        foreach (var dead in driver.Output(options.DeadLetterTopic))
        {
            WriteDeadLetter(dead, serializer);
        }

        return 0;
    }

    private void WriteDocument(string index, string id, byte[] source)
    {
        var buffer = new ArrayBufferWriterStream();
        using (var json = new Utf8JsonWriter(buffer.Writer, new JsonWriterOptions { Encoder = EcsDocumentWriter.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("_index", index);
            json.WriteString("_id", id);
            json.WritePropertyName("_source");
            json.WriteRawValue(source, skipInputValidation: true);
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.Writer.WrittenSpan));
    }

    private void WriteDeadLetter(TestRecord dead, RawSerializer serializer)
    {
        var buffer = new ArrayBufferWriterStream();
        using (var json = new Utf8JsonWriter(buffer.Writer, new JsonWriterOptions { Encoder = EcsDocumentWriter.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("reason", dead.Header("__streams.errors.reason"));
            json.WriteString("stage", dead.Header("__streams.errors.stage"));
            json.WriteString("original", serializer.OriginalText(dead.Value, dead.Header("__streams.errors.topic") ?? string.Empty));
            json.WriteEndObject();
        }

        errors.WriteLine(Encoding.UTF8.GetString(buffer.Writer.WrittenSpan));
    }

    private sealed class ArrayBufferWriterStream
    {
        public System.Buffers.ArrayBufferWriter<byte> Writer { get; } = new();
    }

    /// <summary>Confluent's Avro serdes against the run's own mock:// registry.</summary>
    private sealed class RawSerializer(ISchemaRegistryClient registry)
    {
        public byte[] Serialize(ISpecificRecord raw, string topic)
        {
            var method = typeof(RawSerializer).GetMethod(nameof(SerializeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            return (byte[])method.MakeGenericMethod(raw.GetType()).Invoke(this, [raw, topic])!;
        }

        public ISpecificRecord DeserializeCurated(byte[] value, string topic)
        {
            var source = topic["curated.".Length..];
            var type = Contracts.SchemaCatalog.For(source).CuratedType;
            var method = typeof(RawSerializer).GetMethod(nameof(DeserializeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
            return (ISpecificRecord)method.MakeGenericMethod(type).Invoke(this, [value, topic])!;
        }

        /// <summary>The text inside a dead-lettered raw record, or a note when the bytes were not a raw record at all.</summary>
        public string OriginalText(byte[]? value, string topic)
        {
            if (value is null)
            {
                return string.Empty;
            }

            try
            {
                var source = topic["raw.".Length..];
                var type = Contracts.SchemaCatalog.For(source).RawType;
                var method = typeof(RawSerializer).GetMethod(nameof(DeserializeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
                var raw = (ISpecificRecord)method.MakeGenericMethod(type).Invoke(this, [value, topic])!;
                var field = ((Avro.RecordSchema)raw.Schema).Fields.FirstOrDefault(f => f.Name == "text");
                return field is null ? string.Empty : raw.Get(field.Pos) as string ?? string.Empty;
            }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException or ArgumentException or KeyNotFoundException)
            {
                return Convert.ToBase64String(value);
            }
        }

        private byte[] SerializeTyped<T>(T raw, string topic)
            where T : ISpecificRecord =>
            new AvroSerializer<T>(registry, new AvroSerializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync()
                .Serialize(raw, new SerializationContext(MessageComponentType.Value, topic));

        private T DeserializeTyped<T>(byte[] value, string topic)
            where T : ISpecificRecord =>
            new AvroDeserializer<T>(registry).AsSyncOverAsync().Deserialize(value, false, new SerializationContext(MessageComponentType.Value, topic));
    }
}
