using Streams.Connectors.Mysql;
using Streams.Contracts.Raw;

namespace Streams.Connectors.Tests.Mysql;

/// <summary>The offset rules over row sequences: ties on a microsecond, pages cut by a LIMIT, restarts mid-tie.</summary>
[TestFixture]
public sealed class MysqlTableCursorTests
{
    [Test]
    public void Rows_tied_on_a_microsecond_are_counted_in_one_order_whatever_order_they_come_in()
    {
        var rows = Rows((5, "c"), (5, "a"), (5, "b"), (6, "d"));
        var shuffled = new[] { rows[2], rows[0], rows[3], rows[1] };

        var first = new MysqlTableCursor(MysqlTableOffset.Beginning).Advance(rows, truncated: false, out _);
        var second = new MysqlTableCursor(MysqlTableOffset.Beginning).Advance(shuffled, truncated: false, out _);

        Assert.Multiple(() =>
        {
            Assert.That(first.Select(r => r.Row.Columns.argument), Is.EqualTo(new[] { "a", "b", "c", "d" }));
            Assert.That(second.Select(r => r.Row.Columns.argument), Is.EqualTo(new[] { "a", "b", "c", "d" }));
            Assert.That(first.Select(r => r.Offset), Is.EqualTo(new[] { new MysqlTableOffset(5, 1), new MysqlTableOffset(5, 2), new MysqlTableOffset(5, 3), new MysqlTableOffset(6, 1) }));
        });
    }

    [Test]
    public void A_restart_in_the_middle_of_a_tie_skips_exactly_the_rows_emitted()
    {
        var rows = Rows((5, "a"), (5, "b"), (5, "b"), (5, "c"), (7, "d"));

        var rest = new MysqlTableCursor(new MysqlTableOffset(5, 2)).Advance(rows.AsEnumerable().Reverse().ToList(), truncated: false, out _);

        Assert.That(rest.Select(r => r.Row.Columns.argument), Is.EqualTo(new[] { "b", "c", "d" }), "identical rows are interchangeable: one of the two b's was emitted");
    }

    [Test]
    public void The_last_microsecond_of_a_page_cut_by_the_limit_waits_for_the_next_page()
    {
        var cursor = new MysqlTableCursor(MysqlTableOffset.Beginning);

        var page = cursor.Advance(Rows((1, "a"), (2, "b"), (2, "c")), truncated: true, out var whole);

        Assert.Multiple(() =>
        {
            Assert.That(page.Select(r => r.Row.Columns.argument), Is.EqualTo(new[] { "a" }));
            Assert.That(whole, Is.Null);
            Assert.That(cursor.Position, Is.EqualTo(new MysqlTableOffset(1, 1)));
        });
    }

    [Test]
    public void A_page_limit_leaves_room_for_the_rows_already_emitted_at_the_position() =>
        Assert.That(new MysqlTableCursor(new MysqlTableOffset(9, 4)).PageLimit(10), Is.EqualTo(14));

    [Test]
    public void A_page_that_is_one_tie_asks_for_the_whole_microsecond()
    {
        var cursor = new MysqlTableCursor(new MysqlTableOffset(1, 1));

        var page = cursor.Advance(Rows((1, "a"), (3, "b"), (3, "c")), truncated: true, out var whole);
        var group = cursor.Advance(Rows((3, "d"), (3, "b"), (3, "c")), truncated: false, out _);

        Assert.Multiple(() =>
        {
            Assert.That(page, Is.Empty, "row a was emitted, and the page may hold only part of microsecond 3");
            Assert.That(whole, Is.EqualTo(3));
            Assert.That(group.Select(r => r.Row.Columns.argument), Is.EqualTo(new[] { "b", "c", "d" }));
            Assert.That(cursor.Position, Is.EqualTo(new MysqlTableOffset(3, 3)));
        });
    }

    [Test]
    public void Reading_any_row_sequence_in_pages_with_restarts_emits_every_row_once()
    {
        var random = new Random(20261126);
        for (var round = 0; round < 200; round++)
        {
            var table = Enumerable.Range(0, random.Next(1, 40))
                .Select(i => (Micros: (long)random.Next(0, 6), Text: "r" + random.Next(0, 4)))
                .ToList();
            var limit = random.Next(1, 6);
            var committed = MysqlTableOffset.Beginning;
            var cursor = new MysqlTableCursor(committed);
            var emitted = new List<(long, string)>();
            for (var step = 0; step < 1000 && emitted.Count < table.Count; step++)
            {
                // What ORDER BY pos LIMIT n returns: the smallest positions, ties in any order.
                var pageLimit = cursor.PageLimit(limit);
                var page = Rows(table.Where(r => r.Micros >= cursor.Position.Micros).OrderBy(r => r.Micros).ThenBy(_ => random.Next()).Take(pageLimit).ToArray());
                var rows = cursor.Advance(page, page.Count == pageLimit, out var whole);
                if (whole is { } micros)
                {
                    rows = cursor.Advance(Rows(table.Where(r => r.Micros == micros).ToArray()), truncated: false, out _);
                }

                // Some rows are committed; then, now and then, a crash forgets whatever came after the commit.
                var kept = rows.Take(random.Next(0, rows.Count + 1)).ToList();
                emitted.AddRange(kept.Select(r => (r.Row.Micros, r.Row.Columns.argument)));
                committed = kept.Count > 0 ? kept[^1].Offset : committed;
                if (kept.Count < rows.Count)
                {
                    cursor = new MysqlTableCursor(committed);
                }
            }

            Assert.That(emitted, Is.EquivalentTo(table), $"round {round}, limit {limit}");
        }
    }

    private static List<MysqlTableRow> Rows(params (long Micros, string Text)[] rows) =>
        rows.Select(r => new MysqlTableRow(r.Micros, new MysqlRaw { kind = MysqlRawKind.GENERAL_TABLE, thread_id = 1, argument = r.Text })).ToList();
}
