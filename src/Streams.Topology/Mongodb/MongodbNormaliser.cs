using Streams.Contracts.Curated;
using Streams.Topology.Normalising;

namespace Streams.Topology.Mongodb;

/// <summary>Turns a parsed mongod log entry (structured JSON or legacy text) into the curated ECS record.</summary>
public static class MongodbNormaliser
{
    public const string Module = "mongodb";
    public const string Dataset = "mongodb.log";

    public static MongodbCurated Normalise(MongodbLogEntry entry, CurationContext context)
    {
        var (categories, types, outcome) = Categorise(entry);
        return new MongodbCurated
        {
            timestamp = CuratedEvents.Utc(entry.Timestamp),
            @event = CuratedEvents.Event(context, Dataset, Module, categories, types, outcome, Durations.FromMilliseconds(entry.DurationMillis)),
            log = CuratedEvents.Log(LogLevels.FromMongodbSeverity(entry.Severity)),
            message = CuratedEvents.NullIfEmpty(entry.Message),
            source = CuratedEvents.Source(entry.RemoteIp, entry.RemotePort, entry.Remote),
            user = CuratedEvents.User(entry.User),
            labels = CuratedEvents.Labels(context),
            mongodb = new MongodbFields
            {
                severity = CuratedEvents.NullIfEmpty(entry.Severity),
                component = CuratedEvents.NullIfEmpty(entry.Component),
                context = CuratedEvents.NullIfEmpty(entry.Context),
                id = entry.Id,
                attr = CuratedEvents.NullIfEmpty(entry.AttributesJson),
                ns = CuratedEvents.NullIfEmpty(entry.Namespace),
                plan_summary = CuratedEvents.NullIfEmpty(entry.PlanSummary),
                tags = entry.Tags is { Count: > 0 } tags ? [.. tags] : null,
            },
        };
    }

    /// <summary>
    /// By the message, which reads the same in the JSON (4.4+) and legacy layouts apart from its case:
    /// logins, refused commands and connections get their ECS category; errors are typed error.
    /// </summary>
    private static (string[] Categories, string[] Types, string? Outcome) Categorise(MongodbLogEntry entry)
    {
        var message = entry.Message ?? string.Empty;
        if (Starts(message, "Authentication succeeded") || Starts(message, "Successfully authenticated"))
        {
            return ([Ecs.CategoryDatabase, Ecs.CategoryAuthentication], [Ecs.TypeStart], Ecs.OutcomeSuccess);
        }

        if (Starts(message, "Authentication failed") || Starts(message, "Failed to authenticate"))
        {
            return ([Ecs.CategoryDatabase, Ecs.CategoryAuthentication], [Ecs.TypeStart], Ecs.OutcomeFailure);
        }

        if (Starts(message, "Checking authorization failed") || Starts(message, "Unauthorized"))
        {
            return ([Ecs.CategoryDatabase], [Ecs.TypeAccess, Ecs.TypeDenied], Ecs.OutcomeFailure);
        }

        if (Starts(message, "Connection accepted"))
        {
            return ([Ecs.CategoryDatabase, Ecs.CategoryNetwork], [Ecs.TypeConnection, Ecs.TypeStart], null);
        }

        if (Starts(message, "Connection ended") || Starts(message, "end connection"))
        {
            return ([Ecs.CategoryDatabase, Ecs.CategoryNetwork], [Ecs.TypeConnection, Ecs.TypeEnd], null);
        }

        return entry.Severity is "E" or "F"
            ? ([Ecs.CategoryDatabase], [Ecs.TypeError], null)
            : ([Ecs.CategoryDatabase], [Ecs.TypeInfo], null);
    }

    private static bool Starts(string message, string prefix) => message.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
