namespace Streams.Connectors.Hosting;

/// <summary>A configured source connector, whatever it reads: what a host starts, watches and stops.</summary>
public interface ISourceConnector : IAsyncDisposable
{
    /// <summary>connector.name: its offsets key prefix and transactional id suffix.</summary>
    string Name { get; }

    /// <summary>The connector type (mysql, mongodb, laravel, elb).</summary>
    string Type { get; }

    /// <summary>The raw topic it writes.</summary>
    string Topic { get; }

    /// <summary>Records committed since this instance started.</summary>
    long CommittedRecords { get; }

    /// <summary>Dead letters (unreadable source objects) committed since this instance started.</summary>
    long CommittedDeadLetters { get; }

    /// <summary>Completes when the connector stops; faults with what stopped it.</summary>
    Task Completion { get; }

    void Start();

    /// <summary>Lets the transaction in flight commit, then stops.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
