using Streams.Contracts.Curated;
using Streams.Topology.Normalising;

namespace Streams.Topology.Mysql;

/// <summary>
/// Turns parsed MySQL/MariaDB general and slow log entries into the curated ECS record. Statements are copied
/// as logged: secrets in them are redacted by a later step, which must cover message and mysql.query.
/// </summary>
public static class MysqlNormaliser
{
    public const string Module = "mysql";
    public const string GeneralDataset = "mysql.general";
    public const string SlowlogDataset = "mysql.slowlog";

    /// <summary>Commands whose argument is a statement (mysql.query) rather than connection details.</summary>
    private static readonly HashSet<string> StatementCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "Query", "Prepare", "Execute", "Close stmt", "Reset stmt", "Long Data", "Fetch",
    };

    public static MysqlCurated Normalise(MysqlGeneralEntry entry, CurationContext context)
    {
        var command = entry.Command ?? string.Empty;
        var argument = CuratedEvents.NullIfEmpty(entry.Argument);
        var isStatement = StatementCommands.Contains(command);
        var connect = command == "Connect" && argument is not null ? MysqlConnectArgument.Read(argument) : null;
        var (categories, types, outcome) = Categorise(command, connect);

        var userName = entry.UserHost?.UserName ?? entry.UserHost?.PrivilegedUser ?? connect?.User;
        var address = entry.UserHost?.Host ?? entry.UserHost?.Ip ?? connect?.Host;
        var database = command == "Init DB" ? argument : connect?.Database;

        return new MysqlCurated
        {
            timestamp = CuratedEvents.Utc(entry.EventTime ?? context.Ingested),
            @event = CuratedEvents.Event(context, GeneralDataset, Module, categories, types, outcome),
            message = argument,
            source = CuratedEvents.Source(entry.UserHost?.Ip, port: null, address),
            user = CuratedEvents.User(userName),
            labels = CuratedEvents.Labels(context, timestampFromIngested: entry.EventTime is null),
            mysql = new MysqlFields
            {
                thread_id = entry.ThreadId,
                server_id = entry.ServerId,
                command = CuratedEvents.NullIfEmpty(command),
                query = isStatement ? argument : null,
                db = database,
            },
        };
    }

    public static MysqlCurated Normalise(MysqlSlowEntry entry, CurationContext context)
    {
        var statement = CuratedEvents.NullIfEmpty(entry.Statement);
        var userHost = entry.UserHost;
        return new MysqlCurated
        {
            timestamp = CuratedEvents.Utc(entry.EventTime),
            @event = CuratedEvents.Event(
                context,
                SlowlogDataset,
                Module,
                [Ecs.CategoryDatabase],
                [Ecs.TypeInfo],
                SlowStatementOutcome(entry),
                Durations.Nanoseconds(entry.QueryTime)),
            message = statement,
            source = CuratedEvents.Source(userHost?.Ip, port: null, userHost?.Host ?? userHost?.Ip),
            user = CuratedEvents.User(userHost?.UserName ?? userHost?.PrivilegedUser),
            labels = CuratedEvents.Labels(context),
            mysql = new MysqlFields
            {
                thread_id = entry.ThreadId,
                server_id = entry.ServerId,
                query = statement,
                query_time_us = Durations.Microseconds(entry.QueryTime),
                lock_time_us = Durations.Microseconds(entry.LockTime),
                rows_sent = entry.RowsSent,
                rows_examined = entry.RowsExamined,
                rows_affected = entry.RowsAffected,
                bytes_sent = entry.BytesSent,
                db = CuratedEvents.NullIfEmpty(entry.Database),
                last_insert_id = entry.LastInsertId,
                insert_id = entry.InsertId,
                query_cache_hit = YesNo(entry.Attributes, "QC_hit"),
            },
        };
    }

    /// <summary>
    /// A Connect entry opens a session, and is an authentication failure when the server denied access; the
    /// general log does not say whether other commands succeeded.
    /// </summary>
    private static (string[] Categories, string[] Types, string Outcome) Categorise(string command, MysqlConnectArgument? connect) =>
        command switch
        {
            "Connect" when connect is { AccessDenied: true } =>
                ([Ecs.CategoryDatabase, Ecs.CategoryAuthentication], [Ecs.TypeStart], Ecs.OutcomeFailure),
            "Connect" => ([Ecs.CategoryDatabase, Ecs.CategorySession], [Ecs.TypeStart], Ecs.OutcomeUnknown),
            "Quit" => ([Ecs.CategoryDatabase, Ecs.CategorySession], [Ecs.TypeEnd], Ecs.OutcomeUnknown),
            "Change user" => ([Ecs.CategoryDatabase, Ecs.CategorySession], [Ecs.TypeInfo], Ecs.OutcomeUnknown),
            "Init DB" => ([Ecs.CategoryDatabase], [Ecs.TypeAccess], Ecs.OutcomeUnknown),
            _ when StatementCommands.Contains(command) => ([Ecs.CategoryDatabase], [Ecs.TypeAccess], Ecs.OutcomeUnknown),
            _ => ([Ecs.CategoryDatabase], [Ecs.TypeInfo], Ecs.OutcomeUnknown),
        };

    /// <summary>MySQL's log_slow_extra prints Errno: 0 for a statement that succeeded; without it nobody knows.</summary>
    private static string SlowStatementOutcome(MysqlSlowEntry entry) =>
        entry.Attributes?.TryGetValue("Errno", out var errno) == true ? (errno == "0" ? Ecs.OutcomeSuccess : Ecs.OutcomeFailure) : Ecs.OutcomeUnknown;

    private static bool? YesNo(IReadOnlyDictionary<string, string>? attributes, string name) =>
        attributes?.TryGetValue(name, out var value) == true ? value switch
        {
            "Yes" => true,
            "No" => false,
            _ => null,
        }
        : null;
}
