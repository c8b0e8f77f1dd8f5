using System.Globalization;
using Streams.Contracts.Curated;
using Streams.Contracts.Raw;
using Streams.Topology.Mysql;

namespace Streams.Topology.Curation;

/// <summary>raw.mysql: general and slow log entries, from the tables or from the files.</summary>
public sealed class MysqlCuration(TimeZoneInfo fileTimeZone) : ISourceCuration<MysqlRaw, MysqlCurated>
{
    public string Source => "mysql";

    public CurationOutcome<MysqlCurated> Curate(MysqlRaw raw)
    {
        var ingested = Curation.Curate.Ingested(raw.ingested_at);
        switch (raw.kind)
        {
            case MysqlRawKind.GENERAL_FILE:
                return EntryText(raw) is { } generalEntry
                    ? Curation.Curate.From(Source, raw.origin, Content(raw), ingested, MysqlGeneralLogFileParser.ParseEntry(generalEntry, fileTimeZone), e => e.EventTime, MysqlNormaliser.Normalise)
                    : NoText;
            case MysqlRawKind.SLOW_FILE:
                return EntryText(raw) is { } slowEntry
                    ? Curation.Curate.From(Source, raw.origin, Content(raw), ingested, MysqlSlowLogFileParser.ParseEntry(slowEntry, fileTimeZone), e => e.EventTime, MysqlNormaliser.Normalise)
                    : NoText;
            case MysqlRawKind.GENERAL_TABLE:
                var general = new MysqlGeneralLogRow(
                    Micros(raw.event_time), raw.user_host ?? string.Empty, raw.thread_id ?? 0, raw.server_id ?? 0, raw.command_type ?? string.Empty, raw.argument ?? string.Empty);
                return Curation.Curate.From(Source, raw.origin, general.ToString(), ingested, MysqlGeneralLogTableParser.ParseRow(general), e => e.EventTime, MysqlNormaliser.Normalise);
            case MysqlRawKind.SLOW_TABLE:
                var slow = new MysqlSlowLogRow(
                    Micros(raw.start_time), raw.user_host ?? string.Empty, TimeOfMicros(raw.query_time_us), TimeOfMicros(raw.lock_time_us),
                    raw.rows_sent ?? 0, raw.rows_examined ?? 0, raw.db ?? string.Empty, raw.last_insert_id ?? 0, raw.insert_id ?? 0,
                    raw.server_id ?? 0, raw.sql_text ?? string.Empty, raw.thread_id ?? 0, raw.rows_affected);
                return Curation.Curate.From(Source, raw.origin, slow.ToString(), ingested, MysqlSlowLogTableParser.ParseRow(slow), e => e.EventTime, MysqlNormaliser.Normalise);
            default:
                return CurationOutcome<MysqlCurated>.Fail($"unknown mysql raw kind {raw.kind}");
        }
    }

    private static CurationOutcome<MysqlCurated> NoText => CurationOutcome<MysqlCurated>.Fail("mysql file entry has no text");

    /// <summary>A file entry as its parser takes it; null when the record has no text.</summary>
    private static MysqlLogEntryText? EntryText(MysqlRaw raw) =>
        string.IsNullOrEmpty(raw.text) ? null : new MysqlLogEntryText(raw.text, raw.inherited_time, 0);

    /// <summary>What identifies a file entry besides source, origin and time: the time it inherited and its text.</summary>
    private static string Content(MysqlRaw raw) => raw.inherited_time + "\n" + raw.text;

    // The tables' TIMESTAMP(6) columns, which the connector stores as UTC.
    private static string Micros(DateTime? time) =>
        time is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) : string.Empty;

    private static string TimeOfMicros(long? micros)
    {
        var span = TimeSpan.FromTicks((micros ?? 0) * 10);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours:00}:{span.Minutes:00}:{span.Seconds:00}.{(micros ?? 0) % 1_000_000:000000}");
    }
}
