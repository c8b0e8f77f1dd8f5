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

    private static readonly HashSet<string> EngineKeys =
    [
        ApplicationIdKey, BootstrapServersKey, ProcessingGuaranteeKey, CommitIntervalKey, NumStreamThreadsKey, StateDirKey,
        DeserializationHandlerKey, ProcessingHandlerKey, DeadLetterTopicKey, MaxPollIntervalKey, SessionTimeoutKey,
        TransactionTimeoutKey, CloseTimeoutKey, AssignmentStrategyKey,
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
        string Required(string key) =>
            properties.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
                ? v
                : throw new StreamsConfigException(key, "is required");

        var config = new StreamsConfig
        {
            ApplicationId = Required(ApplicationIdKey),
            BootstrapServers = Required(BootstrapServersKey),
            ProcessingGuarantee = Enum(properties, ProcessingGuaranteeKey, ProcessingGuarantee.AtLeastOnce, new()
            {
                ["at_least_once"] = ProcessingGuarantee.AtLeastOnce,
                ["exactly_once_v2"] = ProcessingGuarantee.ExactlyOnceV2,
            }),
            CommitInterval = properties.ContainsKey(CommitIntervalKey) ? Millis(properties, CommitIntervalKey, 1, int.MaxValue) : null,
            NumStreamThreads = (int)Number(properties, NumStreamThreadsKey, 1, 1, 64),
            StateDir = properties.GetValueOrDefault(StateDirKey) ?? Path.Combine(Path.GetTempPath(), "streams-state"),
            DeserializationErrors = Handling(properties, DeserializationHandlerKey),
            ProcessingErrors = Handling(properties, ProcessingHandlerKey),
            DeadLetterTopic = properties.GetValueOrDefault(DeadLetterTopicKey),
            MaxPollInterval = properties.ContainsKey(MaxPollIntervalKey) ? Millis(properties, MaxPollIntervalKey, 1000, int.MaxValue) : TimeSpan.FromMinutes(5),
            SessionTimeout = properties.ContainsKey(SessionTimeoutKey) ? Millis(properties, SessionTimeoutKey, 1000, int.MaxValue) : TimeSpan.FromSeconds(45),
            TransactionTimeout = properties.ContainsKey(TransactionTimeoutKey) ? Millis(properties, TransactionTimeoutKey, 1000, int.MaxValue) : TimeSpan.FromSeconds(10),
            CloseTimeout = properties.ContainsKey(CloseTimeoutKey) ? Millis(properties, CloseTimeoutKey, 0, int.MaxValue) : TimeSpan.FromSeconds(60),
            AssignmentStrategy = properties.GetValueOrDefault(AssignmentStrategyKey) ?? "cooperative-sticky",
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

    private static ErrorHandling Handling(IReadOnlyDictionary<string, string> p, string key) => Enum(p, key, ErrorHandling.Fail, new()
    {
        ["fail"] = ErrorHandling.Fail,
        ["continue-to-dlq"] = ErrorHandling.ContinueToDlq,
    });

    private static T Enum<T>(IReadOnlyDictionary<string, string> p, string key, T fallback, Dictionary<string, T> allowed)
    {
        if (!p.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        return allowed.TryGetValue(raw.Trim().ToLowerInvariant(), out var value)
            ? value
            : throw new StreamsConfigException(key, $"'{raw}' is not one of: {string.Join(", ", allowed.Keys)}");
    }

    private static long Number(IReadOnlyDictionary<string, string> p, string key, long fallback, long min, long max)
    {
        if (!p.TryGetValue(key, out var raw))
        {
            return fallback;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new StreamsConfigException(key, $"'{raw}' must be a whole number between {min} and {max}");
        }

        return n;
    }

    private static TimeSpan Millis(IReadOnlyDictionary<string, string> p, string key, long min, long max) =>
        TimeSpan.FromMilliseconds(Number(p, key, 0, min, max));
}

/// <summary>A setting is missing or wrong; the message names the key.</summary>
public sealed class StreamsConfigException(string key, string problem) : Exception($"configuration '{key}' {problem}")
{
    public string Key { get; } = key;
}
