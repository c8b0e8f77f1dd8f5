namespace Streams.Runtime.Processor;

public enum PunctuationType
{
    /// <summary>Fires as the task's stream time (the largest record timestamp seen) passes each interval.</summary>
    StreamTime,

    /// <summary>Fires as the wall clock passes each interval, whether records arrive or not.</summary>
    WallClockTime,
}

/// <summary>Where the record being processed came from.</summary>
public readonly record struct RecordOrigin(string Topic, int Partition, long Offset);

/// <summary>What a processor sees of the engine: forwarding, stores, schedules and the dead-letter queue.</summary>
public interface IProcessorContext<TKeyOut, TValueOut>
{
    string ApplicationId { get; }

    TaskId TaskId { get; }

    /// <summary>The origin of the input record currently being processed (null inside a punctuation).</summary>
    RecordOrigin? Origin { get; }

    /// <summary>The largest record timestamp this task has seen; it never goes backwards.</summary>
    long StreamTime { get; }

    long WallClockTime { get; }

    void Forward(Record<TKeyOut, TValueOut> record);

    void Forward(Record<TKeyOut, TValueOut> record, string childName);

    TStore GetStateStore<TStore>(string name)
        where TStore : class, State.IStateStore;

    IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator);

    /// <summary>
    /// Sends the original bytes of the input record being processed to the dead-letter topic,
    /// with the stage and the reason in Kafka Connect-style headers.
    /// </summary>
    void DeadLetter(string stage, string reason, Exception? exception = null);

    /// <summary>Asks the engine to commit as soon as this record is done.</summary>
    void RequestCommit();
}
