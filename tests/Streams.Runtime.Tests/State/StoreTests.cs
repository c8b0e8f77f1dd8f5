using Streams.Runtime.Serdes;
using Streams.Runtime.State;
using Streams.Runtime.Testing;

namespace Streams.Runtime.Tests.State;

[TestFixture]
public sealed class StoreTests
{
    private sealed class Capture : Internals.IRecordCollector
    {
        public List<(string Topic, int? Partition, byte[]? Key, byte[]? Value)> Sent { get; } = [];

        public List<Confluent.Kafka.Headers?> SentHeaders { get; } = [];

        public int MaxRecordBytes { get; init; } = Internals.KafkaRecordCollector.DefaultMessageMaxBytes;

        public void Send(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Confluent.Kafka.Headers? headers)
        {
            Sent.Add((topic, partition, key, value));
            SentHeaders.Add(headers);
        }

        /// <summary>Applies everything sent so far to <paramref name="store"/>, as a restoration reads the changelog.</summary>
        public void RestoreInto(object store)
        {
            for (var i = 0; i < Sent.Count; i++)
            {
                ((StateStoreBase)store).RestoreRecord(Sent[i].Key!, Sent[i].Value, SentHeaders[i]);
            }
        }
    }

    private static (T Store, Capture Log, string Dir) Open<T>(StoreBuilder builder, int maxRecordBytes = Internals.KafkaRecordCollector.DefaultMessageMaxBytes)
        where T : class
    {
        var dir = NewStateDir();
        var log = new Capture { MaxRecordBytes = maxRecordBytes };
        var store = builder.Build();
        store.Open(new StoreContext(dir, log, "app-" + builder.Name + "-changelog", 3, () => 42));
        return ((store as T)!, log, dir);
    }

    /// <summary>A state directory of its own for one store, not yet made.</summary>
    private static string NewStateDir() => Path.Combine(Path.GetTempPath(), "store-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>Closes the store and deletes its state directory, if it made one.</summary>
    private static void CloseAndDelete(object store, string dir)
    {
        ((StateStoreBase)store).Close();
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A window store of string keys and long values, in RocksDB or in memory.</summary>
    private static (IWindowStore<string, long> Store, Capture Log, string Dir) OpenWindow(TimeSpan retention, bool persistent)
    {
        var builder = Stores.Window("w", retention, Serdes.Serdes.String, Serdes.Serdes.Long);
        if (!persistent)
        {
            builder.InMemory();
        }

        return Open<IWindowStore<string, long>>(builder);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Key_value_store_logs_every_write_and_delete_to_its_changelog_partition(bool persistent)
    {
        var builder = Stores.KeyValue("kv", Serdes.Serdes.String, Serdes.Serdes.Long);
        if (!persistent)
        {
            builder.InMemory();
        }

        var (store, log, dir) = Open<IKeyValueStore<string, long>>(builder);
        store.Put("a", 1);
        store.Put("b", 2);
        store.Delete("a");

        Assert.That(store.TryGet("a", out _), Is.False);
        Assert.That(store.Get("b"), Is.EqualTo(2));
        Assert.That(store.All().Select(kv => kv.Key), Is.EqualTo(new[] { "b" }));
        Assert.That(log.Sent.Select(s => (s.Topic, s.Partition, s.Value is null)), Is.EqualTo(new[]
        {
            ("app-kv-changelog", (int?)3, false), ("app-kv-changelog", (int?)3, false), ("app-kv-changelog", (int?)3, true),
        }));
        CloseAndDelete(store, dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_fetches_by_time_range_and_forgets_entries_past_the_retention(bool persistent)
    {
        var (store, _, dir) = OpenWindow(TimeSpan.FromSeconds(10), persistent);
        store.Put("id", 1, 1_000);
        store.Put("id", 2, 5_000);
        store.Put("idx", 3, 5_000);
        Assert.That(store.Fetch("id", 0, 10_000).Select(kv => kv.Key), Is.EqualTo(new[] { 1_000L, 5_000L }), "a longer key with the same prefix is not mixed in");
        Assert.That(store.Fetch("id", 2_000, 10_000).Select(kv => kv.Value), Is.EqualTo(new[] { 2L }));

        store.Put("other", 9, 30_000);
        Assert.That(store.Fetch("id", 0, long.MaxValue), Is.Empty, "entries older than 10 s before the newest are gone");
        Assert.That(store.Fetch("other", 0, long.MaxValue).Single().Value, Is.EqualTo(9));
        CloseAndDelete(store, dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_fetches_across_its_segments_and_deletes_a_segment_once_all_of_it_is_past_the_retention(bool persistent)
    {
        // Retention 10 s: segments of 5 s, so these three rows of one key sit in three segments.
        var (store, _, dir) = OpenWindow(TimeSpan.FromSeconds(10), persistent);
        var inner = ((StateStoreBase)(object)store).Inner;
        store.Put("id", 1, 4_000);
        store.Put("id", 2, 6_000);
        store.Put("id", 3, 11_000);
        Assert.That(store.Fetch("id", 0, 20_000).Select(kv => (kv.Key, kv.Value)), Is.EqualTo(new[] { (4_000L, 1L), (6_000L, 2L), (11_000L, 3L) }));
        Assert.That(store.Fetch("id", 5_000, 10_999).Select(kv => kv.Key), Is.EqualTo(new[] { 6_000L }));

        // Newest 14.5 s: 4 s is past the retention and no longer returned, but its segment [0, 5 s) is only
        // deleted once the whole of it is past; at 15 s it is, and only the row at 4 s goes.
        store.Put("other", 9, 14_500);
        Assert.That(store.Fetch("id", 0, 20_000).Select(kv => kv.Key), Is.EqualTo(new[] { 6_000L, 11_000L }));
        ((StateStoreBase)(object)store).Flush();
        Assert.That(inner.Range(null, null).Count(), Is.EqualTo(4));
        store.Put("other", 10, 15_000);
        ((StateStoreBase)(object)store).Flush();
        Assert.That(inner.Range(null, null).Count(), Is.EqualTo(4), "the row at 4 s went; the row at 15 s came");
        Assert.That(store.Fetch("id", 0, 20_000).Select(kv => kv.Key), Is.EqualTo(new[] { 6_000L, 11_000L }));

        // A put older than the retention (a late record) is never returned.
        store.Put("late", 1, 2_000);
        Assert.That(store.Fetch("late", 0, 20_000), Is.Empty);
        CloseAndDelete(store, dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_orders_and_fetches_negative_timestamps(bool persistent)
    {
        var (store, _, dir) = OpenWindow(TimeSpan.FromHours(1), persistent);
        store.Put("id", 1, -5_000);
        store.Put("id", 2, -1);
        store.Put("id", 3, 2_000);
        Assert.That(store.Fetch("id", -10_000, 10_000).Select(kv => (kv.Key, kv.Value)), Is.EqualTo(new[] { (-5_000L, 1L), (-1L, 2L), (2_000L, 3L) }));
        Assert.That(store.Fetch("id", -4_999, 0).Select(kv => kv.Key), Is.EqualTo(new[] { -1L }));
        CloseAndDelete(store, dir);
    }

    [Test]
    public void Every_RocksDB_store_of_the_process_reads_through_one_bounded_block_cache()
    {
        var dirA = NewStateDir();
        var dirB = NewStateDir();
        try
        {
            using var a = new RocksDbBytesStore(dirA, prefixLength: 4);
            using var b = new RocksDbBytesStore(dirB);
            var keys = Enumerable.Range(0, 5_000).Select(i => System.Text.Encoding.UTF8.GetBytes($"key-{i:D6}")).ToList();
            foreach (var key in keys)
            {
                a.Put(key, key);
            }

            // Flushed to a table file, so reads come through the block cache.
            a.Flush();
            Assert.That(keys.Select(a.Get), Is.EqualTo(keys));
            Assert.Multiple(() =>
            {
                Assert.That(a.BlockCache.Capacity, Is.EqualTo(RocksDbBytesStore.BlockCacheBytes));
                Assert.That(a.BlockCache.Usage, Is.GreaterThan(0UL), "the reads filled the cache");
                Assert.That(b.BlockCache, Is.EqualTo(a.BlockCache), "the other store, which read nothing, sees the same cache");
            });
        }
        finally
        {
            Directory.Delete(dirA, true);
            Directory.Delete(dirB, true);
        }
    }

    [Test]
    public void Persistent_window_store_moves_rows_of_the_earlier_two_row_layout_when_it_opens()
    {
        // The layout before segments: 0x00|key|ts → value, and an expiry index 0x01|ts (sign bit flipped)|key → empty.
        var dir = NewStateDir();
        using (var old = new RocksDbBytesStore(dir))
        {
            foreach (var (key, ts, value) in new[] { ("e1", 1_000L, 10L), ("e2", 2_000L, 20L), ("e2", 3_000L, 30L) })
            {
                var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
                var data = new byte[1 + keyBytes.Length + 8];
                keyBytes.CopyTo(data, 1);
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(1 + keyBytes.Length), ts);
                var index = new byte[9 + keyBytes.Length];
                index[0] = 0x01;
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(index.AsSpan(1), ts ^ long.MinValue);
                keyBytes.CopyTo(index, 9);
                old.Put(data, Serdes.Serdes.Long.Serialize(value, "w"));
                old.Put(index, []);
            }
        }

        var store = (IWindowStore<string, long>)Stores.Window("w", TimeSpan.FromHours(1), Serdes.Serdes.String, Serdes.Serdes.Long).Build();
        ((StateStoreBase)(object)store).Open(new StoreContext(dir, new Capture(), "app-w-changelog", 3, () => 42));
        Assert.That(store.Fetch("e1", 0, 10_000).Select(kv => (kv.Key, kv.Value)), Is.EqualTo(new[] { (1_000L, 10L) }));
        Assert.That(store.Fetch("e2", 0, 10_000).Select(kv => (kv.Key, kv.Value)), Is.EqualTo(new[] { (2_000L, 20L), (3_000L, 30L) }));
        var rows = ((StateStoreBase)(object)store).Inner.Range(null, null).ToList();
        Assert.That(rows.Select(r => r.Key[0]), Is.All.EqualTo((byte)0x02), "no row of the earlier layout is left");
        Assert.That(rows, Has.Count.EqualTo(3));
        ((StateStoreBase)(object)store).Close();
        Directory.Delete(dir, true);
    }

    [Test]
    public void Window_store_batches_its_changelog_until_flushed_and_a_store_rebuilt_from_it_answers_the_same()
    {
        var (store, log, dir) = Open<IWindowStore<string, long>>(Stores.Window("w", TimeSpan.FromHours(1), Serdes.Serdes.String, Serdes.Serdes.Long).InMemory());
        store.Put("e1", 10, 1_000);
        store.Put("e2", 20, 2_000);
        Assert.That(log.Sent, Is.Empty, "entries wait in a batch until the commit");

        ((StateStoreBase)(object)store).FlushLog();
        Assert.Multiple(() =>
        {
            Assert.That(log.Sent.Select(s => (s.Topic, s.Partition)), Is.EqualTo(new[] { ("app-w-changelog", (int?)3) }), "one record for both entries");
            Assert.That(ChangelogBatch.IsBatch(log.SentHeaders[0]), Is.True);
        });
        ((StateStoreBase)(object)store).FlushLog();
        Assert.That(log.Sent, Has.Count.EqualTo(1), "nothing more to send");

        var (restored, _, dir2) = Open<IWindowStore<string, long>>(Stores.Window("w", TimeSpan.FromHours(1), Serdes.Serdes.String, Serdes.Serdes.Long).InMemory());
        log.RestoreInto(restored);
        Assert.That(restored.Fetch("e1", 0, 5_000).Single(), Is.EqualTo(new KeyValuePair<long, long>(1_000, 10)));
        Assert.That(restored.Fetch("e2", 0, 5_000).Single(), Is.EqualTo(new KeyValuePair<long, long>(2_000, 20)));
        foreach (var d in new[] { dir, dir2 }.Where(Directory.Exists))
        {
            Directory.Delete(d, true);
        }
    }

    [Test]
    public void Window_store_rebuilt_from_a_changelog_of_one_entry_a_record_answers_the_same()
    {
        // The format every changelog had before batches: a record per entry, key|timestamp → value, no header.
        var (restored, _, dir) = Open<IWindowStore<string, long>>(Stores.Window("w", TimeSpan.FromHours(1), Serdes.Serdes.String, Serdes.Serdes.Long).InMemory());
        var key = new byte[] { (byte)'e', (byte)'1', 0, 0, 0, 0, 0, 0, 0x03, 0xe8 };
        ((StateStoreBase)(object)restored).RestoreRecord(key, Serdes.Serdes.Long.Serialize(10, "t"), null);
        Assert.That(restored.Fetch("e1", 0, 5_000).Single(), Is.EqualTo(new KeyValuePair<long, long>(1_000, 10)));
        CloseAndDelete(restored, dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_sends_a_full_batch_at_once_and_a_large_entry_alone_in_order(bool persistent)
    {
        var (store, log, dir) = OpenWindow(TimeSpan.FromDays(1), persistent);
        var keys = Enumerable.Range(0, 3_000).Select(i => $"event-{i:D6}-{new string('x', 20)}").ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            store.Put(keys[i], i, 1_000 + i);
        }

        Assert.That(log.Sent, Is.Not.Empty, "a batch past its size is sent without waiting for the commit");
        Assert.That(log.Sent.All(s => s.Value!.Length <= ChangelogBatch.MaxBytes + 1_024), Is.True);

        // An entry too large for a batch goes alone, after the batch before it and before the next one.
        var large = new string('L', ChangelogBatch.MaxBytes);
        store.Put(large, -1, 5_000);
        store.Put("after", -2, 6_000);
        ((StateStoreBase)(object)store).FlushLog();
        var headers = log.SentHeaders.TakeLast(3).Select(ChangelogBatch.IsBatch).ToList();
        Assert.That(headers, Is.EqualTo(new[] { true, false, true }));

        var (restored, _, dir2) = OpenWindow(TimeSpan.FromDays(1), persistent);
        log.RestoreInto(restored);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < keys.Count; i += 97)
            {
                Assert.That(restored.Fetch(keys[i], 0, 10_000).Single(), Is.EqualTo(new KeyValuePair<long, long>(1_000 + i, i)), keys[i]);
            }

            Assert.That(restored.Fetch(large, 0, 10_000).Single().Value, Is.EqualTo(-1));
            Assert.That(restored.Fetch("after", 0, 10_000).Single().Value, Is.EqualTo(-2));
        });
        CloseAndDelete(store, dir);
        CloseAndDelete(restored, dir2);
    }

    [Test]
    public void Window_store_batches_stay_within_a_producer_limit_set_below_the_batch_size()
    {
        // message.max.bytes of 8 KB: batches of 4 KB, and an entry over 2 KB alone.
        var builder = Stores.Window("w", TimeSpan.FromDays(1), Serdes.Serdes.String, Serdes.Serdes.Long).InMemory();
        var (store, log, dir) = Open<IWindowStore<string, long>>(builder, maxRecordBytes: 8 * 1024);
        for (var i = 0; i < 1_000; i++)
        {
            store.Put($"event-{i:D6}", i, 1_000 + i);
        }

        store.Put(new string('L', 3 * 1024), -1, 5_000);
        ((StateStoreBase)(object)store).FlushLog();
        Assert.Multiple(() =>
        {
            Assert.That(log.Sent.Max(s => s.Value!.Length), Is.LessThan(8 * 1024));
            Assert.That(log.Sent.Count(s => s.Value!.Length >= 4 * 1024), Is.EqualTo(log.Sent.Count - 2), "every batch but the last two is full");
            Assert.That(ChangelogBatch.IsBatch(log.SentHeaders[^1]), Is.False, "the large entry alone");
        });

        var (restored, _, dir2) = Open<IWindowStore<string, long>>(Stores.Window("w", TimeSpan.FromDays(1), Serdes.Serdes.String, Serdes.Serdes.Long).InMemory());
        log.RestoreInto(restored);
        Assert.That(Enumerable.Range(0, 1_000).All(i => restored.Fetch($"event-{i:D6}", 0, 10_000).Single().Value == i), Is.True);
        CloseAndDelete(store, dir);
        CloseAndDelete(restored, dir2);
    }

    [Test]
    public void Changelog_batch_reads_back_what_it_was_given_and_refuses_a_cut_one()
    {
        var batch = new ChangelogBatch();
        batch.Add([1, 2, 3], [9], 5);
        batch.Add(new byte[200], null, 7);
        batch.Add([4], [], 6);
        var value = batch.Value.ToArray();
        var entries = ChangelogBatch.Read(value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(batch.Count, Is.EqualTo(3));
            Assert.That(batch.Timestamp, Is.EqualTo(7), "the newest entry's time");
            Assert.That(entries.Select(e => e.Key.Length), Is.EqualTo(new[] { 3, 200, 1 }));
            Assert.That(entries[0].Value, Is.EqualTo(new byte[] { 9 }));
            Assert.That(entries[1].Value, Is.Null, "a delete");
            Assert.That(entries[2].Value, Is.Empty);
            Assert.That(() => ChangelogBatch.Read(value[..^1]).ToList(), Throws.InstanceOf<InvalidDataException>());
            Assert.That(() => ChangelogBatch.Read([2, 0]).ToList(), Throws.InstanceOf<InvalidDataException>(), "an unknown format");
        });
        batch.Clear();
        Assert.That(ChangelogBatch.Read(batch.Value.ToArray()), Is.Empty);
    }

    [Test]
    public void Persistent_window_store_reopened_after_a_clean_close_finds_the_keys_it_held()
    {
        var builder = Stores.Window("w", TimeSpan.FromHours(1), Serdes.Serdes.String, Serdes.Serdes.Long);
        var (store, _, dir) = Open<IWindowStore<string, long>>(builder);
        for (var i = 0; i < 1_000; i++)
        {
            store.Put("event-" + i, i, 1_000 + i);
        }

        ((StateStoreBase)(object)store).Close();

        var reopened = (IWindowStore<string, long>)builder.Build();
        ((StateStoreBase)(object)reopened).Open(new StoreContext(dir, new Capture(), "app-w-changelog", 3, () => 42));
        for (var i = 0; i < 1_000; i++)
        {
            Assert.That(reopened.Fetch("event-" + i, 0, 10_000).Single(), Is.EqualTo(new KeyValuePair<long, long>(1_000 + i, i)), "event-" + i);
        }

        Assert.That(reopened.Fetch("event-1000", 0, 10_000), Is.Empty);
        ((StateStoreBase)(object)reopened).Close();
        Directory.Delete(dir, true);
    }

    [Test]
    public void Key_filter_never_misses_a_key_it_was_given_and_rarely_claims_one_it_was_not()
    {
        var filter = new KeyFilter(initialCapacity: 1024);
        var given = Enumerable.Range(0, 200_000).Select(i => System.Text.Encoding.UTF8.GetBytes($"{i:x32}")).ToList();
        foreach (var key in given)
        {
            filter.Add(key);
        }

        Assert.That(given.All(k => filter.MayContain(k)), Is.True);
        var falsePositives = Enumerable.Range(200_000, 100_000).Count(i => filter.MayContain(System.Text.Encoding.UTF8.GetBytes($"{i:x32}")));
        // The layers' rates (about 0.8%, 0.3%, 0.1%, ...) add up to under 1.5%.
        Assert.That(falsePositives, Is.LessThan(1_500), "false positives among 100,000 keys never added");
    }

    [Test]
    public void Key_filter_adds_a_key_it_was_just_asked_about_as_any_other()
    {
        var filter = new KeyFilter(initialCapacity: 1024);
        var given = Enumerable.Range(0, 50_000).Select(i => KeyFilter.Hash(System.Text.Encoding.UTF8.GetBytes($"{i:x32}"))).ToList();
        foreach (var hash in given)
        {
            // As deduplication does: ask, then add what was not there (through the shortcut) or add as usual.
            if (!filter.MayContain(hash))
            {
                filter.AddAbsent(hash);
            }
            else
            {
                filter.Add(hash);
            }
        }

        Assert.That(given.All(filter.MayContain), Is.True);
        Assert.That(filter.Count, Is.LessThanOrEqualTo(given.Count));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_finds_every_key_put_after_a_fetch_that_missed_it(bool persistent)
    {
        var (store, _, dir) = OpenWindow(TimeSpan.FromHours(1), persistent);
        var seen = 0;
        for (var i = 0; i < 20_000; i++)
        {
            // Every fifth key repeats an earlier one; fetches of other keys come between a miss and its put.
            var key = i % 5 == 4 ? $"e{i / 2}" : $"e{i}";
            if (store.Fetch(key, 0, 100_000).Any())
            {
                seen++;
                continue;
            }

            if (i % 7 == 0)
            {
                Assert.That(store.Fetch("other" + i, 0, 100_000), Is.Empty);
            }

            store.Put(key, i, 10_000 + i);
        }

        Assert.That(seen, Is.GreaterThan(0));
        Assert.That(Enumerable.Range(0, 20_000).Where(i => i % 5 != 4).All(i => store.Fetch($"e{i}", 0, 100_000).Count() == 1), Is.True, "every key put is found once");
        CloseAndDelete(store, dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Window_store_ranges_stay_within_their_bounds_among_many_keys(bool persistent)
    {
        var (store, _, dir) = OpenWindow(TimeSpan.FromHours(1), persistent);
        for (var i = 0; i < 5_000; i++)
        {
            store.Put($"k{i:D5}", i, 10_000 + (i % 7));
        }

        // RocksDB: these rows go to a table file (read through its prefix Bloom filter), the next one stays in the memtable.
        ((StateStoreBase)(object)store).Flush();
        store.Put("k00042", 99, 20_000);
        Assert.That(Enumerable.Range(0, 5_000).All(i => i == 42 || store.Fetch($"k{i:D5}", 0, 30_000).Single().Value == i), Is.True, "every key finds its row");
        Assert.That(store.Fetch("k00042", 0, 30_000).Select(kv => (kv.Key, kv.Value)), Is.EqualTo(new[] { (10_000L, 42L), (20_000L, 99L) }));
        Assert.That(store.Fetch("k00042", 10_001, 19_999), Is.Empty);
        Assert.That(store.Fetch("k0004", 0, 30_000), Is.Empty, "a key that prefixes others holds nothing itself");
        CloseAndDelete(store, dir);
    }

    [Test]
    public void Test_driver_exposes_stores_that_survive_between_records()
    {
        using var driver = new TopologyTestDriver(SumTopology.Build("in", "out", persistent: false));
        driver.PipeInput("in", Confluent.Kafka.Serializers.Utf8, Confluent.Kafka.Serializers.Int64, "x", 5L, 1);
        driver.PipeInput("in", Confluent.Kafka.Serializers.Utf8, Confluent.Kafka.Serializers.Int64, "x", 6L, 2);
        Assert.That(driver.GetStateStore<IKeyValueStore<string, long>>(SumTopology.Store).Get("x"), Is.EqualTo(11));
    }
}
