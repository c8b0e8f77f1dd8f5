using System.Text;
using Confluent.Kafka;
using Streams.Connectors.Elb;
using Streams.Connectors.Framework;
using Streams.Connectors.Tests.Framework;
using Streams.Contracts.Raw;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Elb;

[TestFixture]
public sealed class ElbSourceConnectorTests
{
    private const string Topic = "raw.elb";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public enum Mode
    {
        Directory,
        S3,
    }

    [TestCase(Mode.Directory)]
    [TestCase(Mode.S3)]
    public async Task Every_line_of_every_object_is_read_in_key_order(Mode mode)
    {
        await using var bucket = await Bucket(mode, prefix: "prod/edge");
        var written = new List<(string Key, long Line, string Text)>();
        void Put(string region, ElbKind kind, int minute)
        {
            var key = ElbLogs.Key("prod/edge", region, kind, minute);
            var lines = ElbLogs.Corpus(kind);
            bucket.Put(key, ElbLogs.Encode(kind, lines));
            written.AddRange(lines.Select((text, i) => (key, (long)i + 1, text)));
        }

        // Written out of key order; the ALB of us-east-2 spans a day boundary.
        Put("us-east-2", ElbKind.Application, 24 * 60 + 5);
        Put("eu-central-1", ElbKind.Network, 10);
        Put("us-east-2", ElbKind.Application, 23 * 60 + 55);
        Put("eu-central-1", ElbKind.Classic, 5);
        Put("eu-central-1", ElbKind.Network, 5);
        bucket.Put("prod/edge/AWSLogs/" + ElbLogs.Account + "/ELBAccessLogTestFile", Encoding.UTF8.GetBytes("Enable AccessLog for ELB: my-loadbalancer at 2026-11-26T00:00:00.000Z"));

        await using var cluster = Cluster();
        await using (var runner = Runner(cluster, bucket, batchSize: 4))
        {
            runner.Start();
            await Eventually.Until(() => runner.CommittedRecords >= written.Count || runner.Completion.IsFaulted, Wait, "every line committed");
            await runner.StopAsync(CancellationToken.None);
        }

        var raw = cluster.ReadRaw<ElbRaw>();
        var store = bucket.OpenStore();
        Assert.Multiple(() =>
        {
            Assert.That(raw.Select(r => (r.Value.object_key, r.Value.line_number, r.Value.text)), Is.EqualTo(written.OrderBy(w => w.Key, StringComparer.Ordinal).ThenBy(w => w.Line)));
            Assert.That(raw.Select(r => r.Key).Distinct(), Is.EqualTo(new[] { store.Origin }));
            Assert.That(raw.Select(r => r.Value.origin).Distinct(), Is.EqualTo(new[] { store.Origin }));
            Assert.That(raw.Select(r => r.Value.bucket).Distinct(), Is.EqualTo(new[] { store.Container }));
            Assert.That(raw[^1].Value.offset, Does.Contain("\"complete\":true"));
        });
        store.Dispose();
    }

    [TestCase(Mode.Directory)]
    [TestCase(Mode.S3)]
    public async Task Killed_at_random_points_while_objects_arrive_every_line_lands_once(Mode mode)
    {
        await using var bucket = await Bucket(mode);
        await using var cluster = Cluster();
        var random = new Random(TestContext.CurrentContext.Random.Next());
        var written = new List<(string Key, long Line, string Text)>();
        var alb = ElbLogs.Corpus(ElbKind.Application);
        var nlb = ElbLogs.Corpus(ElbKind.Network)[0];
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 36; i++)
            {
                var (region, kind) = i % 3 == 2 ? ("us-east-2", ElbKind.Network) : ("eu-central-1", ElbKind.Application);
                var key = ElbLogs.Key(string.Empty, region, kind, (i * 127) + 5);
                var lines = Enumerable.Range(0, 1 + (i % 7)).Select(n => kind == ElbKind.Network ? nlb : alb[n % alb.Count]).ToList();
                bucket.Put(key, ElbLogs.Encode(kind, lines));
                lock (written)
                {
                    written.AddRange(lines.Select((text, n) => (key, (long)n + 1, text)));
                }

                await Task.Delay(random.Next(10, 60));
            }
        });

        var kills = 0;
        long killedCommits = 0;
        while (!writer.IsCompleted || kills < 5)
        {
            var runner = Runner(cluster, bucket, batchSize: random.Next(1, 6));
            runner.Start();
            if (kills % 2 == 0)
            {
                // Every other kill comes after some progress (if there is any left), so that a slow machine sees commits too.
                var progress = random.Next(1, 8);
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
                while (runner.CommittedRecords < progress && !runner.Completion.IsCompleted && DateTime.UtcNow < until)
                {
                    await Task.Delay(10);
                }
            }

            await Task.Delay(random.Next(0, 200));

            // Disposed without StopAsync: what was read but not committed goes with it.
            await runner.DisposeAsync();
            killedCommits += runner.CommittedRecords;
            kills++;
        }

        await writer;
        int total;
        lock (written)
        {
            total = written.Count;
        }

        await using (var last = Runner(cluster, bucket, batchSize: 5))
        {
            last.Start();
            var deadline = DateTime.UtcNow + Wait;
            while (cluster.ReadRaw<ElbRaw>().Count < total && !last.Completion.IsFaulted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            // No failure on time-out here: the assertions below show what is missing or doubled.
            await last.StopAsync(CancellationToken.None);
        }

        var raw = cluster.ReadRaw<ElbRaw>().Select(r => (r.Value.object_key, r.Value.line_number, r.Value.text)).ToList();
        var offsets = cluster.ReadAll(SourceConnectorOptions.DefaultOffsetsTopic).Select(o => Encoding.UTF8.GetString(o.Value)).ToList();
        var inKeyOrder = raw.GroupBy(r => ElbLogObject.TryParse(r.object_key)!.Region)
            .All(g => g.SequenceEqual(g.OrderBy(r => r.object_key, StringComparer.Ordinal).ThenBy(r => r.line_number)));
        Assert.Multiple(() =>
        {
            Assert.That(kills, Is.GreaterThanOrEqualTo(5));
            Assert.That(killedCommits, Is.GreaterThan(0), "the killed runners committed part of the lines");
            Assert.That(offsets, Has.Some.Contains("\"complete\":false"), "some commits ended inside an object, so a restart resumed inside one");
            Assert.That(raw, Is.Unique, "no line twice");
            Assert.That(raw, Is.EquivalentTo(written), "no line missing, none made up");
            Assert.That(inKeyOrder, Is.True, "each region's folder in key order");
        });

        if (bucket is S3LogBucket s3)
        {
            Assert.That(s3.S3.Requests, Has.Some.Contains("start-after="), "a restart lists after the last object read");
        }
    }

    [TestCase(Mode.Directory)]
    [TestCase(Mode.S3)]
    public async Task Damaged_gzip_objects_are_dead_lettered_and_the_rest_is_read(Mode mode)
    {
        await using var bucket = await Bucket(mode);
        var lines = ElbLogs.Corpus(ElbKind.Application);
        var good = ElbLogs.Encode(ElbKind.Application, lines);
        var crc = (byte[])good.Clone();
        crc[^6] ^= 0xff;
        var damaged = new Dictionary<string, byte[]>
        {
            [ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, 10)] = Encoding.UTF8.GetBytes(string.Join('\n', lines)),
            [ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, 20)] = good[..(good.Length * 2 / 3)],
            [ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, 30)] = crc,
        };
        var intact = new[] { 5, 15, 25, 35 }.Select(m => ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, m)).ToList();
        foreach (var key in intact)
        {
            bucket.Put(key, good);
        }

        foreach (var (key, bytes) in damaged)
        {
            bucket.Put(key, bytes);
        }

        await using var cluster = Cluster();
        await using (var runner = Runner(cluster, bucket, batchSize: 3))
        {
            runner.Start();
            await Eventually.Until(() => runner.CommittedDeadLetters >= damaged.Count || runner.Completion.IsFaulted, Wait, "three dead letters");
            await Eventually.Until(() => cluster.ReadRaw<ElbRaw>().Count(r => intact.Contains(r.Value.object_key)) >= intact.Count * lines.Count || runner.Completion.IsFaulted, Wait, "the intact objects read");
            await runner.StopAsync(CancellationToken.None);
        }

        // A second run starts after the dead letters: none is written twice.
        await using (var again = Runner(cluster, bucket, batchSize: 3))
        {
            again.Start();
            await Task.Delay(300);
            await again.StopAsync(CancellationToken.None);
        }

        var raw = cluster.ReadRaw<ElbRaw>();
        var dead = cluster.ReadAll(SourceConnectorOptions.DefaultDeadLetterTopic);
        string? Header(Message<byte[], byte[]> m, string name) =>
            m.Headers.TryGetLastBytes(DeadLetters.HeaderPrefix + name, out var v) && v is not null ? Encoding.UTF8.GetString(v) : null;
        var truncatedKey = damaged.Keys.ElementAt(1);
        Assert.Multiple(() =>
        {
            Assert.That(dead.Select(d => Encoding.UTF8.GetString(d.Key)), Is.EqualTo(damaged.Keys));
            Assert.That(dead.Select(d => Header(d, "stage")), Has.All.EqualTo("connect"));
            Assert.That(dead.Select(d => Header(d, "reason")), Has.All.StartsWith("corrupt log object: "));
            Assert.That(dead.Select(d => Header(d, "topic")), Has.All.EqualTo(Topic));
            Assert.That(dead.Select(d => Header(d, "object.key")), Is.EqualTo(damaged.Keys));
            Assert.That(dead.Select(d => Header(d, "exception.class")), Has.All.EqualTo(typeof(InvalidDataException).FullName));
            Assert.That(dead.Select(d => d.Value), Is.EqualTo(damaged.Values), "the stored bytes, under the bound");
            Assert.That(raw.Where(r => intact.Contains(r.Value.object_key)).Select(r => (r.Value.object_key, r.Value.text)), Is.EqualTo(intact.SelectMany(k => lines.Select(l => (k, l)))));
            Assert.That(raw.Where(r => r.Value.object_key == truncatedKey).Select(r => r.Value.text), Is.EqualTo(lines.Take(raw.Count(r => r.Value.object_key == truncatedKey))), "whole lines before the cut, the cut one not");
            Assert.That(raw.Count(r => r.Value.object_key == truncatedKey), Is.LessThan(lines.Count));
            Assert.That(Header(dead[1], "object.lines.sent"), Is.EqualTo(raw.Count(r => r.Value.object_key == truncatedKey).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(raw.Select(r => (r.Value.object_key, r.Value.line_number)), Is.Unique);
        });
    }

    [Test]
    public async Task A_restart_resumes_inside_an_object_without_listing_from_the_start()
    {
        await using var bucket = await S3LogBucket.StartAsync(pageSize: 2);
        var lines = ElbLogs.Corpus(ElbKind.Application);
        var keys = Enumerable.Range(0, 5).Select(m => ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, m * 5)).ToList();
        foreach (var key in keys)
        {
            bucket.Put(key, ElbLogs.Encode(ElbKind.Application, lines));
        }

        await using var task = new ElbSourceTask(bucket.Options, bucket.OpenStore());
        await task.StartAsync(new Dictionary<string, ElbObjectOffset>(), CancellationToken.None);
        var first = await task.PollAsync(lines.Count + 3, CancellationToken.None);
        var listedBefore = bucket.S3.Requests.Count(r => r.Contains("list-type=2", StringComparison.Ordinal) && !r.Contains("delimiter", StringComparison.Ordinal));

        await task.StartAsync(new Dictionary<string, ElbObjectOffset> { [first[^1].SourcePartition] = first[^1].SourceOffset }, CancellationToken.None);
        var rest = new List<SourceRecord<ElbRaw, ElbObjectOffset>>();
        await Eventually.Until(async () => { rest.AddRange(await task.PollAsync(100, CancellationToken.None)); return rest.Count; }, n => n >= (keys.Count * lines.Count) - first.Count, Wait, "the rest");
        var lists = bucket.S3.Requests.Where(r => r.Contains("list-type=2", StringComparison.Ordinal) && !r.Contains("delimiter", StringComparison.Ordinal)).Skip(listedBefore).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(first[^1].SourceOffset, Is.EqualTo(new ElbObjectOffset(keys[1], 3, Complete: false)));
            Assert.That(rest.Select(r => (r.Value.object_key, r.Value.line_number)), Is.EqualTo(keys.SelectMany(k => lines.Select((_, i) => (k, (long)i + 1))).Skip(first.Count)));
            Assert.That(lists[0], Does.Contain("start-after=" + Uri.EscapeDataString(keys[1])), string.Join("\n", lists));
            Assert.That(bucket.S3.Requests, Has.Some.Contains("continuation-token="), "pages of two keys");
        });
    }

    [Test]
    public async Task A_partial_copy_listed_before_its_rename_does_not_hide_the_object()
    {
        await using var bucket = new DirectoryLogBucket();
        var lines = ElbLogs.Corpus(ElbKind.Application);
        var key = ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, 5);
        bucket.Put(ElbLogs.Key(string.Empty, "eu-west-1", ElbKind.Application, 0), ElbLogs.Encode(ElbKind.Application, lines));
        var partial = Path.Combine(bucket.Root, key + ".part-1");
        File.WriteAllBytes(partial, ElbLogs.Encode(ElbKind.Application, lines));
        await using var task = new ElbSourceTask(bucket.Options, bucket.OpenStore());
        await task.StartAsync(new Dictionary<string, ElbObjectOffset>(), CancellationToken.None);
        var records = new List<SourceRecord<ElbRaw, ElbObjectOffset>>();
        await Eventually.Until(async () => { records.AddRange(await task.PollAsync(100, CancellationToken.None)); return records.Count; }, n => n >= lines.Count, Wait, "the first object");

        File.Move(partial, Path.Combine(bucket.Root, key));
        await Eventually.Until(async () => { records.AddRange(await task.PollAsync(100, CancellationToken.None)); return records.Count; }, n => n >= 2 * lines.Count, Wait, "the renamed object");

        Assert.That(records.Where(r => r.Value.object_key == key).Select(r => r.Value.text), Is.EqualTo(lines));
    }

    private static async Task<ILogBucket> Bucket(Mode mode, string prefix = "") =>
        mode == Mode.S3 ? await S3LogBucket.StartAsync(prefix) : new DirectoryLogBucket(prefix);

    private static ConnectorCluster Cluster()
    {
        var cluster = ConnectorCluster.Start(topic: Topic);
        cluster.Kafka.CreateTopic(SourceConnectorOptions.DefaultDeadLetterTopic, 1, 1);
        return cluster;
    }

    private static SourceConnectorRunner<ElbRaw, ElbObjectOffset> Runner(ConnectorCluster cluster, ILogBucket bucket, int batchSize) =>
        new(cluster.Options("elb", batchSize), new ElbSourceTask(bucket.Options, bucket.OpenStore()));
}
