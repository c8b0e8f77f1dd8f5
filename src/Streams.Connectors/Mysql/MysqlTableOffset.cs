namespace Streams.Connectors.Mysql;

/// <summary>
/// Where to resume in one log table. The tables have no id and several rows can share a microsecond, so the offset
/// is a position in microseconds since the epoch and how many rows at that very microsecond were already emitted,
/// counted in <see cref="MysqlTableRow.TieOrder"/>. Rows after it are those at <see cref="Micros"/> past the first
/// <see cref="EmittedAtMicros"/>, then every row at a later microsecond.
/// </summary>
/// <param name="Micros">general_log: event_time; slow_log: start_time + query_time, when the row was written.</param>
/// <param name="EmittedAtMicros">Rows positioned at <paramref name="Micros"/> already emitted.</param>
public sealed record MysqlTableOffset(long Micros, long EmittedAtMicros)
{
    /// <summary>Before every row: a table read without a committed offset is read from its first row.</summary>
    public static MysqlTableOffset Beginning { get; } = new(long.MinValue, 0);
}
