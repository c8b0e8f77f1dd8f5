using System.Globalization;
using System.Text;
using Streams.Runtime;

namespace Streams.Hosting.Metrics;

/// <summary>
/// What a service's <c>/metrics</c> shows: the counters, gauges and histograms the engine, the curation and the sink
/// already keep, read at scrape time and written in the Prometheus text exposition format (version 0.0.4).
/// Nothing is counted twice: every family is a view over an existing object.
/// </summary>
public sealed class MetricsRegistry
{
    /// <summary>The content type of the Prometheus text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly List<Family> _families = [];

    /// <summary>A labelled counter; each label value is split on ':' into <paramref name="labelNames"/> (e.g. "raw.elb:3" → topic, partition).</summary>
    public MetricsRegistry Counter(LabelledCounter counter, params string[] labelNames) =>
        Add(counter.Name, counter.Help, "counter", () => Split(counter.Snapshot(), labelNames));

    public MetricsRegistry Gauge(LabelledGauge gauge, params string[] labelNames) =>
        Add(gauge.Name, gauge.Help, "gauge", () => Split(gauge.Snapshot(), labelNames));

    /// <summary>One unlabelled value read when scraped.</summary>
    public MetricsRegistry Gauge(string name, string help, Func<double> read) =>
        Add(name, help, "gauge", () => [new Sample(name, [], read())]);

    public MetricsRegistry Counter(string name, string help, Func<double> read) =>
        Add(name, help, "counter", () => [new Sample(name, [], read())]);

    public MetricsRegistry Histogram(LatencyHistogram histogram) => Add(histogram.Name, histogram.Help, "histogram", () =>
    {
        var (cumulative, count, sum) = histogram.Snapshot();
        var samples = histogram.UpperBounds
            .Select((bound, i) => new Sample(histogram.Name + "_bucket", [("le", Number(bound))], cumulative[i]))
            .ToList();
        samples.Add(new Sample(histogram.Name + "_bucket", [("le", "+Inf")], count));
        samples.Add(new Sample(histogram.Name + "_sum", [], sum));
        samples.Add(new Sample(histogram.Name + "_count", [], count));
        return samples;
    });

    /// <summary>Every family as Prometheus text: HELP, TYPE, then one line per sample.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var family in _families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var sample in family.Read())
            {
                text.Append(sample.Name);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Name}=\"{EscapeLabel(l.Value)}\"")).Append('}');
                }

                text.Append(' ').Append(Number(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static List<Sample> Split(IReadOnlyDictionary<string, long> values, string[] labelNames) =>
        values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            var parts = labelNames.Length <= 1 ? [kv.Key] : kv.Key.Split(':', labelNames.Length);
            var labels = labelNames.Select((name, i) => (name, i < parts.Length ? parts[i] : string.Empty)).ToList();
            return new Sample(string.Empty, labels, kv.Value);
        }).ToList();

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) => EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);

    private MetricsRegistry Add(string name, string help, string type, Func<List<Sample>> read)
    {
        if (_families.Any(f => f.Name == name))
        {
            throw new ArgumentException($"metric '{name}' is registered twice", nameof(name));
        }

        _families.Add(new Family(name, help, type, () => read().Select(s => s.Name.Length == 0 ? s with { Name = name } : s).ToList()));
        return this;
    }

    private sealed record Family(string Name, string Help, string Type, Func<List<Sample>> Read);

    private sealed record Sample(string Name, IReadOnlyList<(string Name, string Value)> Labels, double Value);
}
