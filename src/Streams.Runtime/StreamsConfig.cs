using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Streams.Runtime;

public enum ProcessingGuarantee
{
    AtLeastOnce,
    ExactlyOnceV2,
}

/// <summary>What happens to a record whose deserialization or processing throws.</summary>
public enum ErrorHandling
{
    /// <summary>Stop the stream thread (Kafka Streams' LogAndFail).</summary>
    Fail,

    /// <summary>Send the original bytes to the dead-letter topic with the error in headers, and go on.</summary>
    ContinueToDlq,
}

/// <summary>The engine's settings, under Kafka Streams' names; anything else is passed to the librdkafka clients.</summary>
public sealed class StreamsConfig
{
    public const string ApplicationIdKey = "application.id";
    public const string BootstrapServersKey = "bootstrap.servers";
    public const string ProcessingGuaranteeKey = "processing.guarantee";
    public const string CommitIntervalKey = "commit.interval.ms";
    public const string NumStreamThreadsKey = "num.stream.threads";
    public const string StateDirKey = "state.dir";
    public const string DeserializationHandlerKey = "default.deserialization.exception.handler";
    public const string ProcessingHandlerKey = "processing.exception.handler";
    public const string DeadLetterTopicKey = "errors.deadletterqueue.topic.name";
    public const string MaxPollIntervalKey = "max.poll.interval.ms";
    public const string SessionTimeoutKey = "session.timeout.ms";
    public const string TransactionTimeoutKey = "transaction.timeout.ms";
    public const string CloseTimeoutKey = "close.timeout.ms";
    public const string AssignmentStrategyKey = "partition.assignment.strategy";
    public const string HoldOutputKey = "exactly.once.hold.output";
    public const string OverlapCommitKey = "exactly.once.overlap.commit";

    private static readonly HashSet<string> EngineKeys =
    [
        ApplicationIdKey, BootstrapServersKey, ProcessingGuaranteeKey, CommitIntervalKey, NumStreamThreadsKey, StateDirKey,
        DeserializationHandlerKey, ProcessingHandlerKey, DeadLetterTopicKey, MaxPollIntervalKey, SessionTimeoutKey,
        TransactionTimeoutKey, CloseTimeoutKey, AssignmentStrategyKey, HoldOutputKey, OverlapCommitKey,
    ];

    public required string ApplicationId { get; init; }

    public required string BootstrapServers { get; init; }

    public ProcessingGuarantee ProcessingGuarantee { get; init; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary>Defaults to 100 ms under exactly-once and 30 s otherwise, as in Kafka Streams.</summary>
    public TimeSpan? CommitInterval { get; init; }

    public int NumStreamThreads { get; init; } = 1;

    public string StateDir { get; init; } = Path.Combine(Path.GetTempPath(), "streams-state");

    public ErrorHandling DeserializationErrors { get; init; } = ErrorHandling.Fail;

    public ErrorHandling ProcessingErrors { get; init; } = ErrorHandling.Fail;

    public string? DeadLetterTopic { get; init; }

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful close may take; below ECS's 120 s stopTimeout.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>cooperative-sticky by default; "range" moves partitions faster on small test clusters.</summary>
    public string AssignmentStrategy { get; init; } = "cooperative-sticky";

    /// <summary>
    /// Under exactly-once, true (the default) holds a commit interval's output in memory and writes it at the commit,
    /// so a task that dies between commits leaves nothing in any topic, even on a broker that shows aborted records to
    /// read_committed consumers (the embedded cluster does). False produces each record as it is made, inside the open
    /// transaction, as Kafka Streams does: the commit then waits only for the last records, but aborted output is
    /// hidden only by a broker that implements read_committed (any real Kafka).
    /// </summary>
    public bool HoldOutput { get; init; } = true;

    /// <summary>
    /// Under exactly-once with held output, true (the default) lets the stream thread go on processing while a
    /// commit's transaction is written and committed on a thread of its own: the next interval's output is held
    /// apart and goes into the next transaction, which begins only once this one has committed. At most one commit
    /// is in flight; the next commit, a rebalance, a close or a crash waits for it first. A commit that fails takes
    /// the interval processed meanwhile down with it: the tasks are closed dirty (their local state wiped) and their
    /// records are read again from the last committed offsets, as after any failed commit.
    /// </summary>
    public bool OverlapCommit { get; init; } = true;

    /// <summary>librdkafka settings for every client (TLS, SASL, timeouts); "consumer."/"producer." prefixes target one kind.</summary>
    public IReadOnlyDictionary<string, string> ClientSettings { get; init; } = new Dictionary<string, string>();

    public bool ExactlyOnce => ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2;

    public TimeSpan EffectiveCommitInterval => CommitInterval ?? (ExactlyOnce ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(30));

    /// <summary>Reads the settings from configuration keys named as in Kafka Streams; fails naming the key.</summary>
    public static StreamsConfig From(IConfiguration configuration) =>
        FromProperties(configuration.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal));

    /// <summary>STREAMS_APPLICATION_ID → application.id: lower case, underscores to dots.</summary>
    public static IReadOnlyDictionary<string, string> FromEnvironment(System.Collections.IDictionary environment, string prefix = "STREAMS_")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in environment)
        {
            if (e.Key is string name && name.StartsWith(prefix, StringComparison.Ordinal) && e.Value is string value)
            {
                result[name[prefix.Length..].ToLowerInvariant().Replace('_', '.')] = value;
            }
        }

        return result;
    }

    public static StreamsConfig FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var settings = new Settings(properties);
        var forever = TimeSpan.FromMilliseconds(int.MaxValue);
        TimeSpan? Optional(string key, TimeSpan min) => settings.Has(key) ? settings.Millis(key, TimeSpan.Zero, min, forever) : null;

        var config = new StreamsConfig
        {
            ApplicationId = settings.Required(ApplicationIdKey),
            BootstrapServers = settings.Required(BootstrapServersKey),
            ProcessingGuarantee = settings.Choice(ProcessingGuaranteeKey, ProcessingGuarantee.AtLeastOnce, new Dictionary<string, ProcessingGuarantee>
            {
                ["at_least_once"] = ProcessingGuarantee.AtLeastOnce,
                ["exactly_once_v2"] = ProcessingGuarantee.ExactlyOnceV2,
            }),
            CommitInterval = Optional(CommitIntervalKey, TimeSpan.FromMilliseconds(1)),
            NumStreamThreads = settings.Integer(NumStreamThreadsKey, 1, 1, 64),
            StateDir = settings.Text(StateDirKey) ?? Path.Combine(Path.GetTempPath(), "streams-state"),
            DeserializationErrors = Handling(settings, DeserializationHandlerKey),
            ProcessingErrors = Handling(settings, ProcessingHandlerKey),
            DeadLetterTopic = settings.Text(DeadLetterTopicKey),
            MaxPollInterval = Optional(MaxPollIntervalKey, TimeSpan.FromSeconds(1)) ?? TimeSpan.FromMinutes(5),
            SessionTimeout = Optional(SessionTimeoutKey, TimeSpan.FromSeconds(1)) ?? TimeSpan.FromSeconds(45),
            TransactionTimeout = Optional(TransactionTimeoutKey, TimeSpan.FromSeconds(1)) ?? TimeSpan.FromSeconds(10),
            CloseTimeout = Optional(CloseTimeoutKey, TimeSpan.Zero) ?? TimeSpan.FromSeconds(60),
            AssignmentStrategy = settings.Text(AssignmentStrategyKey) ?? "cooperative-sticky",
            HoldOutput = settings.Flag(HoldOutputKey, true),
            OverlapCommit = settings.Flag(OverlapCommitKey, true),
            ClientSettings = properties.Where(kv => !EngineKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
        config.Validate();
        return config;
    }

    /// <summary>Checks the combination of settings; throws naming the offending key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApplicationId) || ApplicationId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new StreamsConfigException(ApplicationIdKey, $"'{ApplicationId}' must be ASCII letters, digits, '.', '_' or '-' (it prefixes topic names)");
        }

        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            throw new StreamsConfigException(BootstrapServersKey, "is required");
        }

        if ((DeserializationErrors == ErrorHandling.ContinueToDlq || ProcessingErrors == ErrorHandling.ContinueToDlq) && string.IsNullOrWhiteSpace(DeadLetterTopic))
        {
            throw new StreamsConfigException(DeadLetterTopicKey, "is required when an exception handler is continue-to-dlq");
        }

        if (ExactlyOnce && CloseTimeout >= TimeSpan.FromSeconds(120))
        {
            throw new StreamsConfigException(CloseTimeoutKey, "must stay below ECS's 120 s stopTimeout");
        }

        if (NumStreamThreads < 1)
        {
            throw new StreamsConfigException(NumStreamThreadsKey, "must be at least 1");
        }
    }

    private static ErrorHandling Handling(Settings settings, string key) => settings.Choice(key, ErrorHandling.Fail, new Dictionary<string, ErrorHandling>
    {
        ["fail"] = ErrorHandling.Fail,
        ["continue-to-dlq"] = ErrorHandling.ContinueToDlq,
    });
}

/// <summary>A setting is missing or wrong; the message names the key.</summary>
public sealed class StreamsConfigException(string key, string problem) : Exception($"configuration '{key}' {problem}")
{
    public string Key { get; } = key;
}
