using NUnit.Framework;
using Streams.Hosting.Metrics;
using Streams.Runtime;

namespace Streams.Hosting.Tests;

[TestFixture]
public sealed class MetricsRegistryTests
{
    [Test]
    public void A_labelled_counter_renders_one_line_per_label_with_help_and_type()
    {
        var read = new LabelledCounter("curation_records_read_total", "Raw records read, by source");
        read.Increment("elb", 3);
        read.Increment("mysql");
        var text = new MetricsRegistry().Counter(read, "source").Render();
        Assert.That(text, Is.EqualTo(
            "# HELP curation_records_read_total Raw records read, by source\n" +
            "# TYPE curation_records_read_total counter\n" +
            "curation_records_read_total{source=\"elb\"} 3\n" +
            "curation_records_read_total{source=\"mysql\"} 1\n"));
    }

    [Test]
    public void A_compound_label_is_split_into_its_names()
    {
        var lag = new LabelledGauge("streams_consumer_lag", "lag");
        lag.Set("raw.elb:11", 42);
        var text = new MetricsRegistry().Gauge(lag, "topic", "partition").Render();
        Assert.That(text, Does.Contain("streams_consumer_lag{topic=\"raw.elb\",partition=\"11\"} 42\n"));
    }

    [Test]
    public void A_histogram_has_cumulative_buckets_an_infinite_one_a_sum_and_a_count()
    {
        var latency = new LatencyHistogram("x_seconds", "x", 0.1, 1);
        latency.Observe(TimeSpan.FromMilliseconds(50));
        latency.Observe(TimeSpan.FromMilliseconds(500));
        latency.Observe(TimeSpan.FromSeconds(3));
        var text = new MetricsRegistry().Histogram(latency).Render();
        Assert.That(text, Does.Contain("# TYPE x_seconds histogram\n"));
        Assert.That(text, Does.Contain("x_seconds_bucket{le=\"0.1\"} 1\n"));
        Assert.That(text, Does.Contain("x_seconds_bucket{le=\"1\"} 2\n"));
        Assert.That(text, Does.Contain("x_seconds_bucket{le=\"+Inf\"} 3\n"));
        Assert.That(text, Does.Contain("x_seconds_count 3\n"));
        Assert.That(text, Does.Contain("x_seconds_sum 3.55\n"));
    }

    [Test]
    public void Label_values_are_escaped_and_values_read_at_each_render()
    {
        var failures = new LabelledCounter("f_total", "f");
        failures.Increment("a\"b\\c");
        long calls = 0;
        var registry = new MetricsRegistry().Counter(failures, "type").Gauge("g", "g", () => ++calls);
        Assert.That(registry.Render(), Does.Contain("f_total{type=\"a\\\"b\\\\c\"} 1\n").And.Contain("g 1\n"));
        Assert.That(registry.Render(), Does.Contain("g 2\n"));
    }

    [Test]
    public void The_same_name_twice_is_refused()
    {
        var registry = new MetricsRegistry().Gauge("g", "g", () => 1);
        Assert.Throws<ArgumentException>(() => registry.Counter("g", "g", () => 1));
    }

    [Test]
    public void The_geo_cache_hit_ratio_is_zero_before_any_lookup() =>
        Assert.That((ServiceMetrics.HitRatio(0, 0), ServiceMetrics.HitRatio(3, 1)), Is.EqualTo((0d, 0.75)));
}
