using Avro.Specific;
using Streams.Contracts.Curated;
using Streams.Runtime.Processor;
using Streams.Topology.Geo;

namespace Streams.Topology.Curation;

/// <summary>Parses, fingerprints, normalises and redacts one raw record; what cannot be curated goes to the DLQ.</summary>
internal sealed class CurateProcessor<TRaw, TCurated>(ISourceCuration<TRaw, TCurated> curation, CuratedRedactor redactor, CurationMetrics metrics, Func<string, ISpecificRecord, string?>? rejectRule = null)
    : IProcessor<string, TRaw, string, TCurated>
    where TRaw : class, ISpecificRecord
    where TCurated : class, ISpecificRecord
{
    private IProcessorContext<string, TCurated> _context = null!;

    public void Init(IProcessorContext<string, TCurated> context) => _context = context;

    public void Process(Record<string, TRaw> record)
    {
        metrics.Read.Increment(curation.Source);
        if (record.Value is null)
        {
            Dead("raw record has no value (tombstone)");
            return;
        }

        if (rejectRule?.Invoke(curation.Source, record.Value) is { } rejected)
        {
            Dead(rejected);
            return;
        }

        var outcome = curation.Curate(record.Value);
        if (outcome.Curated is not { } curated)
        {
            Dead(outcome.Failure ?? "could not be curated");
            return;
        }

        redactor.Redact(curated);
        _context.Forward(new Record<string, TCurated>(outcome.EventId!, curated, outcome.EventTime.ToUnixTimeMilliseconds()));
    }

    private void Dead(string reason)
    {
        metrics.DeadLettered.Increment(curation.Source);
        _context.DeadLetter("parse", reason);
    }
}

/// <summary>Fills source.geo and source.as from the MaxMind databases; addresses it cannot place are left alone.</summary>
internal sealed class GeoEnrichProcessor<TCurated>(GeoIpEnricher enricher, string source, CurationMetrics metrics) : IProcessor<string, TCurated, string, TCurated>
    where TCurated : class, ISpecificRecord
{
    private IProcessorContext<string, TCurated> _context = null!;
    private int _sourcePosition = -1;

    public void Init(IProcessorContext<string, TCurated> context) => _context = context;

    public void Process(Record<string, TCurated> record)
    {
        if (enricher.IsEnabled && SourceOf(record.Value) is { ip: { } ip } client)
        {
            metrics.GeoLookups.Increment(source);
            if (enricher.Lookup(ip) is { } geo)
            {
                metrics.GeoHits.Increment(source);
                Apply(client, geo);
            }
        }

        metrics.Curated.Increment(source);
        _context.Forward(record);
    }

    private Source? SourceOf(TCurated curated)
    {
        if (_sourcePosition < 0)
        {
            _sourcePosition = ((Avro.RecordSchema)curated.Schema).Fields.First(f => f.Name == "source").Pos;
        }

        return curated.Get(_sourcePosition) as Source;
    }

    private static void Apply(Source client, GeoLocation geo)
    {
        if (geo.CountryIsoCode is not null || geo.CityName is not null || geo.Latitude is not null)
        {
            client.geo = new Streams.Contracts.Curated.Geo
            {
                country_iso_code = geo.CountryIsoCode,
                country_name = geo.CountryName,
                region_name = geo.RegionName,
                city_name = geo.CityName,
                timezone = geo.Timezone,
                location = geo is { Latitude: { } lat, Longitude: { } lon } ? new GeoPoint { lat = lat, lon = lon } : null,
            };
        }

        if (geo.AsNumber is not null || geo.AsOrganization is not null)
        {
            client.@as = new As { number = geo.AsNumber, organization = geo.AsOrganization is { } org ? new AsOrganization { name = org } : null };
        }
    }
}
