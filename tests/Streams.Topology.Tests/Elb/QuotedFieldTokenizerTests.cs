using NUnit.Framework;
using Streams.Topology.Elb;

namespace Streams.Topology.Tests.Elb;

public class QuotedFieldTokenizerTests
{
    private static (string Value, QuotedFieldShape Shape)[] Tokenize(string line)
    {
        var fields = new QuotedField[16];
        var count = QuotedFieldTokenizer.Tokenize(line, fields);
        return fields.Take(count).Select(f => (f.Value(line), f.Shape)).ToArray();
    }

    [Test]
    public void Bare_and_quoted_fields_are_split_on_spaces_outside_quotes()
    {
        Assert.That(Tokenize("a \"b c\" d"), Is.EqualTo(new[]
        {
            ("a", QuotedFieldShape.Bare),
            ("b c", QuotedFieldShape.Quoted),
            ("d", QuotedFieldShape.Bare),
        }));
    }

    [Test]
    public void Runs_of_spaces_count_as_one_separator()
    {
        Assert.That(Tokenize("  a   b  ").Select(t => t.Value), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Escaped_quote_and_backslash_inside_quotes_are_undone()
    {
        Assert.That(Tokenize("\"say \\\"hi\\\" \\\\o/\" next"), Is.EqualTo(new[]
        {
            ("say \"hi\" \\o/", QuotedFieldShape.QuotedWithEscapes),
            ("next", QuotedFieldShape.Bare),
        }));
    }

    [Test]
    public void Hex_escapes_written_by_aws_are_kept_as_written()
    {
        Assert.That(Tokenize("\"GET /q?bar=\\x22 HTTP/2.0\"")[0].Value, Is.EqualTo("GET /q?bar=\\x22 HTTP/2.0"));
    }

    [Test]
    public void Empty_quoted_field_is_a_field_with_empty_value()
    {
        Assert.That(Tokenize("a \"\" b"), Is.EqualTo(new[]
        {
            ("a", QuotedFieldShape.Bare),
            (string.Empty, QuotedFieldShape.Quoted),
            ("b", QuotedFieldShape.Bare),
        }));
    }

    [Test]
    public void Quoted_strings_joined_by_commas_are_one_glued_field()
    {
        Assert.That(Tokenize("h2 \"h2\",\"http/1.1\" end"), Is.EqualTo(new[]
        {
            ("h2", QuotedFieldShape.Bare),
            ("\"h2\",\"http/1.1\"", QuotedFieldShape.Glued),
            ("end", QuotedFieldShape.Bare),
        }));
    }

    [Test]
    public void Quote_without_its_closing_quote_runs_to_the_end_of_the_line()
    {
        Assert.That(Tokenize("a \"b c d"), Is.EqualTo(new[]
        {
            ("a", QuotedFieldShape.Bare),
            ("\"b c d", QuotedFieldShape.Unterminated),
        }));
    }

    [Test]
    public void Escaped_quote_at_the_end_does_not_close_the_string()
    {
        Assert.That(Tokenize("\"abc\\\"")[0].Shape, Is.EqualTo(QuotedFieldShape.Unterminated));
    }

    [Test]
    public void More_fields_than_the_span_holds_are_counted_but_not_written()
    {
        var fields = new QuotedField[2];
        var count = QuotedFieldTokenizer.Tokenize("a b c d", fields);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(4));
            Assert.That(fields[1].Value("a b c d"), Is.EqualTo("b"));
        }
    }

    [Test]
    public void Empty_and_blank_lines_have_no_fields()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Tokenize(string.Empty), Is.Empty);
            Assert.That(Tokenize("    "), Is.Empty);
        }
    }
}
