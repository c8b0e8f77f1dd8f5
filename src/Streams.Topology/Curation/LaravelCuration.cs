using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Topology.Laravel;

namespace Streams.Topology.Curation;

/// <summary>raw.laravel: one Monolog entry (stack trace lines included), in the application's time zone.</summary>
public sealed class LaravelCuration(TimeZoneInfo timeZone) : ISourceCuration<LaravelRaw, LaravelCurated>
{
    public string Source => "laravel";

    public CurationOutcome<LaravelCurated> Curate(LaravelRaw raw) =>
        string.IsNullOrEmpty(raw.text)
            ? CurationOutcome<LaravelCurated>.Fail("laravel record has no text")
            : Curation.Curate.From(Source, raw.origin, raw.text, Curation.Curate.Ingested(raw.ingested_at), LaravelLogParser.ParseEntry(raw.text, timeZone), e => e.EventTime, LaravelNormaliser.Normalise);
}
