using Avro.Specific;
using Microsoft.Extensions.Logging;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Hosting;

/// <summary>A <see cref="SourceConnectorRunner{TValue, TOffset}"/> seen through <see cref="ISourceConnector"/>.</summary>
internal sealed class RunningConnector<TValue, TOffset>(string type, SourceConnectorOptions options, ISourceTask<TValue, TOffset> task, ILogger? logger)
    : ISourceConnector
    where TValue : ISpecificRecord
{
    private readonly SourceConnectorRunner<TValue, TOffset> _runner = new(options, task, logger);

    public string Name => options.Name;

    public string Type => type;

    public string Topic => options.Topic;

    public long CommittedRecords => _runner.CommittedRecords;

    public long CommittedDeadLetters => _runner.CommittedDeadLetters;

    public Task Completion => _runner.Completion;

    public void Start() => _runner.Start();

    public Task StopAsync(CancellationToken cancellationToken) => _runner.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _runner.DisposeAsync();
}
