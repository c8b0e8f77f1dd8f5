using System.Buffers;
using System.Text.Json;
using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Contracts.Documents;

namespace Streams.Contracts.Tests.Documents;

public sealed class EcsDocumentWriterTests
{
    [Test]
    public void Mysql_record_renders_nested_ecs_objects_with_microsecond_timestamp_and_no_empty_objects()
    {
        Assert.That(EcsDocumentWriter.ToJson(CuratedExamples.Mysql()), Is.EqualTo(
            """{"@timestamp":"2026-11-22T16:13:34.073196Z","event":{"id":"mysql-1","kind":"event","category":["database"],"type":["info"],"outcome":"success","dataset":"mysql.slowlog","module":"mysql","duration":2475469000,"ingested":"2026-11-22T16:13:35.073000Z"},"message":"SELECT SLEEP(2.5);","source":{"ip":"127.0.0.1","address":"localhost"},"user":{"name":"app"},"mysql":{"thread_id":31,"query":"SELECT SLEEP(2.5);","query_time_us":2475469,"lock_time_us":0,"rows_sent":1,"rows_examined":0,"db":"shop"}}"""));
    }

    [Test]
    public void Mongodb_record_renders_json_text_as_a_string_and_leaves_out_an_empty_tag_list()
    {
        Assert.That(EcsDocumentWriter.ToJson(CuratedExamples.Mongodb()), Is.EqualTo(
            """{"@timestamp":"2026-11-22T16:13:34.073196Z","event":{"id":"mongo-1","kind":"event","category":["database"],"type":["connection","start"],"dataset":"mongodb.log","module":"mongodb","ingested":"2026-11-22T16:13:35.073000Z"},"log":{"level":"info"},"message":"Connection accepted","source":{"ip":"127.0.0.1","port":52236,"address":"127.0.0.1:52236"},"mongodb":{"severity":"I","component":"NETWORK","context":"listener","id":22943,"attr":"{\"remote\":\"127.0.0.1:52236\",\"connectionCount\":1}"}}"""));
    }

    [Test]
    public void Laravel_record_renders_labels_as_an_object_and_escapes_backslashes_and_newlines()
    {
        Assert.That(EcsDocumentWriter.ToJson(CuratedExamples.Laravel()), Is.EqualTo(
            """{"@timestamp":"2026-11-22T16:13:34.073196Z","event":{"id":"laravel-1","kind":"event","category":["web"],"type":["error"],"outcome":"failure","dataset":"laravel.log","module":"laravel","ingested":"2026-11-22T16:13:35.073000Z"},"log":{"level":"error"},"message":"SQLSTATE[08006] connection failed","error":{"type":"Illuminate\\Database\\QueryException","message":"SQLSTATE[08006]","stack_trace":"#0 /var/www/a.php(1): f()\n#1 {main}"},"labels":{"origin":"web-1:/var/www/storage/logs/laravel.log"},"laravel":{"channel":"production","context":"{\"userId\":7}","exception":{"class":"Illuminate\\Database\\QueryException","code":"7","line":760}}}"""));
    }

    [Test]
    public void Elb_record_renders_geo_location_as_lat_lon_and_http_url_and_aws_blocks()
    {
        Assert.That(EcsDocumentWriter.ToJson(CuratedExamples.Elb()), Is.EqualTo(
            """{"@timestamp":"2026-11-22T16:13:34.073196Z","event":{"id":"elb-1","kind":"event","category":["web"],"type":["access"],"outcome":"success","dataset":"aws.elb","module":"aws","duration":1000000,"ingested":"2026-11-22T16:13:35.073000Z"},"source":{"ip":"192.168.131.39","port":2817,"geo":{"country_iso_code":"SE","location":{"lat":59.3293,"lon":18.0686}}},"http":{"request":{"method":"GET","bytes":34},"response":{"status_code":200,"bytes":366},"version":"1.1"},"url":{"original":"http://www.example.com:80/?a=1","path":"/","query":"a=1","domain":"www.example.com","port":80,"scheme":"http"},"trace":{"id":"1-58337262-36d228ad5d99923122bbe354"},"aws":{"elb":{"kind":"application","request_creation_time":"2026-11-22T16:13:22.073196Z","backend_ip":"10.0.0.1","backend_port":80,"request_processing_time_sec":0,"actions_executed":["forward"]}}}"""));
    }

    [Test]
    public void Minimal_record_renders_only_timestamp_and_an_empty_event_is_left_out()
    {
        var record = new MysqlCurated { timestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), @event = new Event() };

        Assert.That(EcsDocumentWriter.ToJson(record), Is.EqualTo("""{"@timestamp":"2026-01-02T03:04:05.000000Z"}"""));
    }

    [Test]
    public void Enums_render_as_their_symbol_and_millisecond_timestamps_with_six_digits()
    {
        var raw = new Streams.Contracts.Raw.MysqlRaw
        {
            origin = "db-1",
            ingested_at = new DateTime(2026, 11, 22, 16, 13, 35, 73, DateTimeKind.Utc),
            offset = "42",
            kind = Streams.Contracts.Raw.MysqlRawKind.GENERAL_FILE,
            text = "5 Query\tSELECT 1",
        };

        Assert.That(EcsDocumentWriter.ToJson(raw), Is.EqualTo(
            """{"origin":"db-1","ingested_at":"2026-11-22T16:13:35.073000Z","offset":"42","kind":"GENERAL_FILE","text":"5 Query\tSELECT 1"}"""));
    }

    [Test]
    public void Non_finite_doubles_are_left_out_rather_than_written_as_invalid_json()
    {
        var record = CuratedExamples.Elb();
        record.aws.elb.request_processing_time_sec = double.NaN;

        using var document = JsonDocument.Parse(EcsDocumentWriter.ToUtf8(record));

        Assert.That(document.RootElement.GetProperty("aws").GetProperty("elb").TryGetProperty("request_processing_time_sec", out _), Is.False);
    }

    [Test]
    public void Writing_to_a_buffer_writer_appends_the_same_bytes_for_every_fully_populated_record()
    {
        foreach (var contract in SchemaCatalog.Sources)
        {
            var record = SampleRecords.Create((Avro.RecordSchema)contract.CuratedSchema, SampleVariant.Full, "");
            var buffer = new ArrayBufferWriter<byte>();
            EcsDocumentWriter.Write(record, buffer);

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(EcsDocumentWriter.ToUtf8(record)), contract.Source);
        }
    }

    [Test]
    public void Daily_index_name_takes_the_utc_day_of_the_event()
    {
        var lateEveningInNewYork = new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.FromHours(-5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(EcsIndexNames.Daily("mysql", lateEveningInNewYork), Is.EqualTo("curated-mysql-2026.11.23"));
            Assert.That(EcsIndexNames.Daily("elb", new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc)), Is.EqualTo("curated-elb-2026.01.05"));
            Assert.That(EcsIndexNames.For(CuratedExamples.Laravel()), Is.EqualTo("curated-laravel-2026.11.22"));
            Assert.That(() => EcsIndexNames.For((ISpecificRecord)new Event()), Throws.ArgumentException);
        }
    }
}
