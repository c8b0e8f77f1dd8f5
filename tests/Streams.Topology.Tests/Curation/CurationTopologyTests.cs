using System.Text;
using NUnit.Framework;
using Streams.Contracts.Curated;

namespace Streams.Topology.Tests.Curation;

[TestFixture]
public sealed class CurationTopologyTests
{
    private static readonly (string Kind, string File, string Source)[] CorpusFiles =
    [
        ("elb", "elb-alb.log", "elb"),
        ("elb", "elb-alb-2.log", "elb"),
        ("elb", "elb-classic.log", "elb"),
        ("elb", "elb-nlb.log", "elb"),
        ("mongodb", "mongodb-4.4-json.log", "mongodb"),
        ("laravel", "laravel.log", "laravel"),
        ("mysql-general", "mysql-general-mariadb-10.11.log", "mysql"),
        ("mysql-slowlog", "mysql-slowlog-8.0.log", "mysql"),
        ("mysql-slowlog", "mysql-slowlog-mariadb-10.11.log", "mysql"),
        ("mysql-slowlog", "mysql-slowlog-mariadb-10.3.log", "mysql"),
    ];

    [Test]
    public void Every_corpus_entry_becomes_one_curated_record_or_one_dead_letter_with_a_reason()
    {
        foreach (var (kind, file, source) in CorpusFiles)
        {
            using var h = new CurationHarness();
            h.PipeText(kind, Corpus.Text(file));
            var read = h.Metrics.Read[source];
            var curated = h.Driver.Output(Streams.Topology.Curation.CurationOptions.CuratedTopic(source)).Count;
            Assert.That(read, Is.GreaterThan(0), file);
            Assert.That(curated + h.DeadLetters.Count + h.Metrics.Duplicates[source], Is.EqualTo(read), $"{file}: every raw record is accounted for");
            foreach (var dead in h.DeadLetters)
            {
                Assert.That(dead.Header("__streams.errors.reason"), Is.Not.Empty, file);
                Assert.That(dead.Header("__streams.errors.stage"), Is.EqualTo("parse"), file);
            }
        }
    }

    [Test]
    public void Alb_lines_are_indexed_daily_by_event_time_with_ecs_fields()
    {
        using var h = new CurationHarness();
        h.PipeText("elb", Corpus.Text("elb-alb.log"));
        var docs = h.Documents<ElbCurated>("elb");
        Assert.That(docs, Is.Not.Empty);
        var first = docs[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.Index, Is.EqualTo("curated-elb-2018.07.02"));
            Assert.That(first.Source.GetProperty("@timestamp").GetString(), Does.StartWith("2018-07-02T22:23:00.186641"));
            Assert.That(first.Source.GetProperty("event").GetProperty("dataset").GetString(), Is.EqualTo("aws.elb"));
            Assert.That(first.Source.GetProperty("event").GetProperty("id").GetString(), Is.EqualTo(first.Id));
            Assert.That(first.Source.GetProperty("source").GetProperty("ip").GetString(), Is.EqualTo("192.168.131.39"));
            Assert.That(first.Source.GetProperty("http").GetProperty("response").GetProperty("status_code").GetInt64(), Is.EqualTo(200));
        });
    }

    [Test]
    public void A_repeated_line_within_the_window_yields_one_document_and_a_counted_duplicate()
    {
        using var h = new CurationHarness();
        var line = Corpus.Lines("elb-classic.log")[0];
        h.PipeText("elb", line + "\n" + line + "\n");
        Assert.That(h.Driver.Output("curated.elb"), Has.Count.EqualTo(1));
        Assert.That(h.Metrics.Duplicates["elb"], Is.EqualTo(1));
    }

    [Test]
    public void Credentials_in_sql_and_urls_never_reach_a_curated_record()
    {
        using var h = new CurationHarness();
        h.PipeText("mysql-general", Corpus.Text("mysql-general-mariadb-10.11.log"));
        h.PipeText("elb", "https 2024-03-01T10:00:00.000000Z app/lb/1 203.0.113.9:5555 10.0.0.1:80 0.001 0.002 0.000 200 200 10 20 \"GET https://shop.example.com:443/login?user=ann&password=hunter2&token=abc123 HTTP/1.1\" \"curl/8\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1 \"Root=1-abc\" \"shop.example.com\" \"-\" 0 2024-03-01T10:00:00.000000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"\n");
        var everything = new StringBuilder();
        foreach (var topic in new[] { "curated.mysql", "curated.elb" })
        {
            foreach (var r in h.Driver.Output(topic))
            {
                everything.Append(Encoding.UTF8.GetString(r.Value!));
            }
        }

        foreach (var doc in h.Documents<MysqlCurated>("mysql").Concat(h.Documents<ElbCurated>("elb")))
        {
            everything.Append(doc.Source.GetRawText());
        }

        var text = everything.ToString();
        Assert.That(h.Driver.Output("curated.elb"), Has.Count.EqualTo(1), "the ELB line was curated");
        Assert.That(text, Does.Not.Contain("app-pass").And.Not.Contain("hunter2").And.Not.Contain("abc123"));
        Assert.That(text, Does.Contain("REDACTED"));
    }

    [Test]
    public void Bytes_that_are_not_avro_are_dead_lettered_by_the_deserializer_and_processing_goes_on()
    {
        using var h = new CurationHarness();
        h.Driver.PipeInput("raw.elb", Encoding.UTF8.GetBytes("k"), [0xde, 0xad, 0xbe, 0xef], 1);
        h.PipeText("elb", Corpus.Lines("elb-classic.log")[0] + "\n");
        Assert.That(h.DeadLetters, Has.Count.EqualTo(1));
        Assert.That(h.DeadLetters[0].Header("__streams.errors.stage"), Is.EqualTo("deserialize"));
        Assert.That(h.DeadLetters[0].Value, Is.EqualTo(new byte[] { 0xde, 0xad, 0xbe, 0xef }));
        Assert.That(h.Driver.Output("curated.elb"), Has.Count.EqualTo(1));
    }
}
