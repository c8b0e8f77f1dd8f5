namespace Streams.Connectors.Mysql;

/// <summary>
/// The read position in one log table, advanced over pages of rows fetched in position order. Pure: the queries
/// live in <see cref="MysqlTableReader"/>, so the tie rules can be shown over any row sequence.
/// </summary>
internal sealed class MysqlTableCursor(MysqlTableOffset start)
{
    /// <summary>Just past the last row <see cref="Advance"/> returned.</summary>
    public MysqlTableOffset Position { get; private set; } = start;

    /// <summary>
    /// The LIMIT of the next page for <paramref name="batchSize"/> new rows: the rows already emitted at
    /// <see cref="Position"/> come back too, and a page holding nothing but those could never move on.
    /// </summary>
    public int PageLimit(int batchSize) => (int)Math.Min(int.MaxValue, Position.EmittedAtMicros + batchSize);

    /// <summary>
    /// Takes a page of rows positioned at or after <see cref="Position"/>, in position order, and returns the rows not
    /// emitted yet with the offset each one leaves behind. When <paramref name="truncated"/> the page was cut by a
    /// LIMIT, so its last microsecond may be missing rows: that group waits for the next page. If nothing else is new,
    /// <paramref name="wholeGroupAt"/> names the microsecond to fetch entirely before calling again.
    /// </summary>
    public List<(MysqlTableRow Row, MysqlTableOffset Offset)> Advance(IReadOnlyList<MysqlTableRow> page, bool truncated, out long? wholeGroupAt)
    {
        wholeGroupAt = null;
        var groups = page.Where(r => r.Micros >= Position.Micros).GroupBy(r => r.Micros).OrderBy(g => g.Key).ToList();
        if (truncated && groups.Count > 0)
        {
            var partial = groups[^1];
            groups.RemoveAt(groups.Count - 1);
            if (!groups.Any(HasNewRows))
            {
                wholeGroupAt = partial.Key;
                return [];
            }
        }

        var emitted = new List<(MysqlTableRow, MysqlTableOffset)>();
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(r => r.TieOrder, StringComparer.Ordinal).ToList();
            var skip = group.Key == Position.Micros ? Position.EmittedAtMicros : 0;
            for (var i = (int)Math.Min(skip, ordered.Count); i < ordered.Count; i++)
            {
                Position = new MysqlTableOffset(group.Key, i + 1);
                emitted.Add((ordered[i], Position));
            }
        }

        return emitted;
    }

    private bool HasNewRows(IGrouping<long, MysqlTableRow> group) =>
        group.Key != Position.Micros || group.LongCount() > Position.EmittedAtMicros;
}
