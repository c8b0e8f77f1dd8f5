using NUnit.Framework;
using Streams.Topology.Geo;

namespace Streams.Topology.Tests.Geo;

[TestFixture]
public sealed class LruCacheTests
{
    [Test]
    public void Least_recently_used_entry_is_evicted_when_full()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.TryGet("a", out _);
        cache.Set("c", 3);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet("b", out _), Is.False, "b was the least recently used");
            Assert.That(cache.TryGet("a", out var a) ? a : -1, Is.EqualTo(1));
            Assert.That(cache.TryGet("c", out var c) ? c : -1, Is.EqualTo(3));
            Assert.That(cache.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void Setting_an_existing_key_replaces_its_value_without_evicting()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("a", 10);

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.EqualTo(2));
            Assert.That(cache.TryGet("a", out var a) ? a : -1, Is.EqualTo(10));
            Assert.That(cache.TryGet("b", out _), Is.True);
        });
    }

    [Test]
    public void Hits_and_misses_are_counted()
    {
        var cache = new LruCache<int, string?>(10);
        cache.TryGet(1, out _);
        cache.Set(1, null);
        cache.TryGet(1, out _);
        cache.TryGet(1, out _);

        Assert.That((cache.Hits, cache.Misses), Is.EqualTo((2L, 1L)));
    }

    [Test]
    public void Zero_capacity_caches_nothing()
    {
        var cache = new LruCache<int, int>(0);
        cache.Set(1, 1);
        Assert.That(cache.TryGet(1, out _), Is.False);
    }

    [Test]
    public void Negative_capacity_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LruCache<int, int>(-1));

    [Test]
    public void Concurrent_use_keeps_the_cache_within_its_capacity()
    {
        var cache = new LruCache<int, int>(100);
        Parallel.For(0, 10_000, i =>
        {
            if (!cache.TryGet(i % 250, out _))
            {
                cache.Set(i % 250, i);
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.EqualTo(100));
            Assert.That(cache.Hits + cache.Misses, Is.EqualTo(10_000));
        });
    }
}
