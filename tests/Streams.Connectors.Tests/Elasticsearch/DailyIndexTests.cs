using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using Streams.Connectors.Elasticsearch;
using Streams.Contracts.Curated;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>
/// The daily index comes from the event time in UTC, never from the clock or the time zone of the machine running the
/// sink: the renderer is run under time zones from UTC-11 to UTC+14 (TZ, as a container would set it).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DailyIndexTests
{
    private const string Topic = "curated.elb";
    private string? _originalTz;
    private string _scope = null!;

    [SetUp]
    public void Remember()
    {
        _originalTz = Environment.GetEnvironmentVariable("TZ");
        _scope = "daily-index-" + Guid.NewGuid().ToString("N");
    }

    [TearDown]
    public void Restore()
    {
        Environment.SetEnvironmentVariable("TZ", _originalTz);
        TimeZoneInfo.ClearCachedData();
        MockSchemaRegistry.DropScope(_scope);
    }

    [TestCase("UTC")]
    [TestCase("Pacific/Kiritimati")]
    [TestCase("Pacific/Pago_Pago")]
    [TestCase("America/New_York")]
    public void The_last_millisecond_of_a_day_and_the_first_of_the_next_land_in_different_daily_indices(string timeZone)
    {
        var registry = MockSchemaRegistry.ForScope(_scope);
        var serializer = new AvroSerializer<ElbCurated>(registry, new AvroSerializerConfig { AutoRegisterSchemas = true }).AsSyncOverAsync();
        var renderer = new CuratedDocumentRenderer(registry);
        Environment.SetEnvironmentVariable("TZ", timeZone);
        TimeZoneInfo.ClearCachedData();

        var lastOfDay = Render(renderer, serializer, "last", new DateTime(2026, 11, 21, 23, 59, 59, 999, DateTimeKind.Utc));
        var firstOfNext = Render(renderer, serializer, "first", new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc));

        Assert.Multiple(() =>
        {
            Assert.That(TimeZoneInfo.Local.Id, Is.EqualTo(timeZone), "the time zone in effect");
            Assert.That(lastOfDay.Index, Is.EqualTo("curated-elb-2026.11.21"));
            Assert.That(firstOfNext.Index, Is.EqualTo("curated-elb-2026.11.22"));
            Assert.That(Encoding.UTF8.GetString(lastOfDay.Json.Span), Does.Contain("\"@timestamp\":\"2026-11-21T23:59:59.999000Z\""), "the millisecond survives");
        });
    }

    private static SinkDocument Render(CuratedDocumentRenderer renderer, ISerializer<ElbCurated> serializer, string id, DateTime timestamp)
    {
        var record = new ElbCurated
        {
            timestamp = timestamp,
            @event = new Event { id = id, kind = "event", dataset = "aws.elb", module = "aws", outcome = "success" },
        };
        var value = serializer.Serialize(record, new SerializationContext(MessageComponentType.Value, Topic));
        var consumed = new ConsumeResult<byte[], byte[]>
        {
            Topic = Topic,
            Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = value },
        };
        return renderer.Render(consumed);
    }
}
