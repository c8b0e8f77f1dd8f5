using System.Text;
using Confluent.Kafka;
using Streams.Connectors.Elb;
using Streams.Connectors.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Framework;

/// <summary>Dead letters a task hands over travel with its records and offsets: all committed, or none.</summary>
[TestFixture]
public sealed class SourceDeadLetterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_dead_letter_is_committed_with_the_records_and_moves_the_offset_past_its_input()
    {
        await using var cluster = Cluster();
        await using (var runner = new SourceConnectorRunner<ElbRaw, ElbObjectOffset>(cluster.Options("scripted"), new ScriptedTask()))
        {
            runner.Start();
            await Eventually.Until(() => runner.CommittedDeadLetters >= 1 || runner.Completion.IsFaulted, Wait, "the dead letter committed");
            await runner.StopAsync(CancellationToken.None);
            Assert.That(runner.CommittedRecords, Is.EqualTo(1));
        }

        var dead = cluster.ReadAll(SourceConnectorOptions.DefaultDeadLetterTopic).Single();
        var offsets = cluster.ReadAll(SourceConnectorOptions.DefaultOffsetsTopic);
        Assert.Multiple(() =>
        {
            Assert.That(cluster.ReadRaw<ElbRaw>().Select(r => r.Value.text), Is.EqualTo(new[] { "good line" }));
            Assert.That(Encoding.UTF8.GetString(dead.Key), Is.EqualTo("bad.log.gz"));
            Assert.That(dead.Value, Is.EqualTo(ScriptedTask.BadBytes));
            Assert.That(Header(dead, "stage"), Is.EqualTo("connect"));
            Assert.That(Header(dead, "reason"), Is.EqualTo("unreadable"));
            Assert.That(Header(dead, "topic"), Is.EqualTo(cluster.Topic));
            Assert.That(Header(dead, "connector"), Is.EqualTo("scripted"));
            Assert.That(Header(dead, "source.partition"), Is.EqualTo("p"));
            Assert.That(Header(dead, "exception.class"), Is.EqualTo(typeof(InvalidDataException).FullName));
            Assert.That(Header(dead, "detail"), Is.EqualTo("42"));
            Assert.That(dead.Headers.TryGetLastBytes(DeadLetters.HeaderPrefix + "partition", out _), Is.False, "no Kafka partition: the input never was a record");
            Assert.That(offsets.Select(o => Encoding.UTF8.GetString(o.Key)), Is.EqualTo(new[] { "scripted/p" }));
            Assert.That(Encoding.UTF8.GetString(offsets[0].Value), Does.Contain("\"objectKey\":\"bad.log.gz\""), "the dead letter's offset, after the record's");
        });
    }

    [Test]
    public void The_dead_letter_topic_must_differ_from_the_others() =>
        Assert.That(
            () => new SourceConnectorOptions { Name = "x", BootstrapServers = "b:9092", Topic = "raw.elb", DeadLetterTopic = "raw.elb", SchemaRegistry = new("mock://x") }.Validate(),
            Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("errors.deadletterqueue.topic.name"));

    private static string? Header(Message<byte[], byte[]> m, string name) =>
        m.Headers.TryGetLastBytes(DeadLetters.HeaderPrefix + name, out var v) && v is not null ? Encoding.UTF8.GetString(v) : null;

    private static ConnectorCluster Cluster()
    {
        var cluster = ConnectorCluster.Start(topic: "raw.elb");
        cluster.Kafka.CreateTopic(SourceConnectorOptions.DefaultDeadLetterTopic, 1, 1);
        return cluster;
    }

    /// <summary>One good record and then one dead letter in partition "p", unless the committed offsets are past them.</summary>
    private sealed class ScriptedTask : ISourceTask<ElbRaw, ElbObjectOffset>
    {
        public static readonly byte[] BadBytes = [0x1f, 0x8b, 0x00, 0x42];

        private readonly List<SourceDeadLetter<ElbObjectOffset>> _deadLetters = [];
        private bool _pending;

        public ValueTask StartAsync(IReadOnlyDictionary<string, ElbObjectOffset> committedOffsets, CancellationToken cancellationToken)
        {
            _deadLetters.Clear();
            _pending = !committedOffsets.ContainsKey("p");
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<SourceRecord<ElbRaw, ElbObjectOffset>>> PollAsync(int maxRecords, CancellationToken cancellationToken)
        {
            if (!_pending)
            {
                return ValueTask.FromResult<IReadOnlyList<SourceRecord<ElbRaw, ElbObjectOffset>>>([]);
            }

            _pending = false;
            var offset = new ElbObjectOffset("good.log.gz", 1, Complete: true);
            var value = new ElbRaw { origin = "o", ingested_at = DateTime.UtcNow, offset = "{}", text = "good line", bucket = "b", object_key = "good.log.gz", line_number = 1 };
            _deadLetters.Add(new SourceDeadLetter<ElbObjectOffset>(
                "bad.log.gz", BadBytes, "unreadable", new InvalidDataException("bad header"), "p", new ElbObjectOffset("bad.log.gz", 0, Complete: true), [new("detail", "42")]));
            return ValueTask.FromResult<IReadOnlyList<SourceRecord<ElbRaw, ElbObjectOffset>>>([new SourceRecord<ElbRaw, ElbObjectOffset>("o", value, "p", offset)]);
        }

        public IReadOnlyList<SourceDeadLetter<ElbObjectOffset>> TakeDeadLetters()
        {
            var taken = _deadLetters.ToList();
            _deadLetters.Clear();
            return taken;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
