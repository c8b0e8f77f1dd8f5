using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Streams.Contracts;
using Streams.Runtime;
using Streams.Runtime.Serdes.Avro;

namespace Streams.Connectors.Elasticsearch;

/// <summary>
/// The whole sink built from configuration keys: curated topics read through the Schema Registry, rendered by
/// <see cref="CuratedDocumentRenderer"/>, written to Elasticsearch (<see cref="BulkIndexer"/> with <see cref="IndexSetup"/>
/// installing the ILM policy and the source's template before an index's first write) or, with sink.target=file,
/// to NDJSON bulk files. Every configuration error names its key.
/// </summary>
public sealed class SinkHost : IAsyncDisposable
{
    public const string TargetKey = "sink.target";
    public const string OutputDirKey = "sink.output.dir";
    public const string SchemaRegistryUrlKey = "schema.registry.url";
    public const string SchemaRegistryBasicAuthKey = "schema.registry.basic.auth.user.info";
    public const string ElasticsearchTarget = "elasticsearch";
    public const string FileTarget = "file";

    private readonly ElasticsearchHttpClient? _http;

    private SinkHost(ElasticsearchSink sink, IIndexTarget target, ElasticsearchSinkOptions options, ElasticsearchHttpClient? http)
    {
        Sink = sink;
        Target = target;
        Options = options;
        _http = http;
    }

    public ElasticsearchSink Sink { get; }

    /// <summary>Where documents go: a <see cref="BulkIndexer"/> or a <see cref="NdjsonFileTarget"/>.</summary>
    public IIndexTarget Target { get; }

    public ElasticsearchSinkOptions Options { get; }

    /// <summary>Builds the sink from "sink.*", "elasticsearch.*", "schema.registry.*" and bootstrap.servers keys.</summary>
    /// <exception cref="StreamsConfigException">A key is missing or has a value the sink cannot use.</exception>
    public static SinkHost FromProperties(IReadOnlyDictionary<string, string> properties, ILoggerFactory? loggerFactory = null)
    {
        var sinkOptions = ElasticsearchSinkOptions.FromProperties(properties);
        foreach (var topic in sinkOptions.Topics)
        {
            if (!SchemaCatalog.Sources.Any(c => c.CuratedTopic == topic))
            {
                throw new StreamsConfigException(ElasticsearchSinkOptions.TopicsKey, $"'{topic}' is not a curated topic; known: {string.Join(", ", SchemaCatalog.Sources.Select(c => c.CuratedTopic))}");
            }
        }

        var esOptions = ElasticsearchOptions.FromProperties(properties);
        var registry = RegistryFrom(properties);
        var renderer = new CuratedDocumentRenderer(registry, esOptions.IndexPrefix);
        var targetName = properties.GetValueOrDefault(TargetKey, ElasticsearchTarget).Trim();
        ElasticsearchHttpClient? http = null;
        IIndexTarget target;
        switch (targetName)
        {
            case ElasticsearchTarget:
                http = new ElasticsearchHttpClient(esOptions);
                var setup = new IndexSetup(http, esOptions, CuratedDocumentRenderer.MappingsFor);
                target = new BulkIndexer(http, esOptions, setup.PrepareIndexAsync);
                break;
            case FileTarget:
                var directory = properties.GetValueOrDefault(OutputDirKey);
                if (string.IsNullOrWhiteSpace(directory))
                {
                    throw new StreamsConfigException(OutputDirKey, $"is required when {TargetKey}={FileTarget}");
                }

                target = new NdjsonFileTarget(directory);
                break;
            default:
                throw new StreamsConfigException(TargetKey, $"'{targetName}' must be {ElasticsearchTarget} or {FileTarget}");
        }

        var sink = new ElasticsearchSink(sinkOptions, target, renderer.Render, loggerFactory?.CreateLogger<ElasticsearchSink>());
        return new SinkHost(sink, target, sinkOptions, http);
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> fires, then flushes within sink.close.timeout.ms, commits and closes.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => Sink.RunAsync(stoppingToken);

    /// <summary>Disposes the target and the HTTP client; call after <see cref="RunAsync"/> has returned.</summary>
    public async ValueTask DisposeAsync()
    {
        await Sink.DisposeAsync();
        _http?.Dispose();
    }

    private static ISchemaRegistryClient RegistryFrom(IReadOnlyDictionary<string, string> properties)
    {
        var url = properties.GetValueOrDefault(SchemaRegistryUrlKey);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new StreamsConfigException(SchemaRegistryUrlKey, "is required (mock://<scope> for the embedded registry)");
        }

        if (!url.StartsWith("mock://", StringComparison.OrdinalIgnoreCase) && !Uri.TryCreate(url.Split(',')[0].Trim(), UriKind.Absolute, out _))
        {
            throw new StreamsConfigException(SchemaRegistryUrlKey, $"'{url}' is neither mock://<scope> nor an absolute URL");
        }

        return AvroSerdes.CreateRegistry(new SchemaRegistrySettings(url, properties.GetValueOrDefault(SchemaRegistryBasicAuthKey)));
    }
}
