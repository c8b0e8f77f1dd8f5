namespace Streams.Deploy.Tests.Hcl;

/// <summary>
/// Reads the structure of an HCL file: bodies of attributes (<c>name = expression</c>, an expression running to the
/// end of its line unless brackets keep it open) and blocks (<c>type "label"… { body }</c>). Brackets must pair,
/// an expression may not be empty or end on an operator, and anything else is a syntax error naming the line.
/// </summary>
internal sealed class HclParser
{
    private static readonly HashSet<string> BinaryOperators = ["==", "!=", "<=", ">=", "&&", "||", "=>", "=", "<", ">", "+", "-", "*", "/", "%", "?", ":", ".", ","];

    private static readonly HashSet<string> Keywords = ["for", "in", "if"];

    private readonly string _file;
    private readonly List<HclToken> _tokens;
    private int _pos;

    private HclParser(string file, List<HclToken> tokens)
    {
        _file = file;
        _tokens = tokens;
        _tokens.Add(new HclToken(HclTokenKind.End, string.Empty, tokens.Count == 0 ? 1 : tokens[^1].Line, []));
    }

    public static HclBody Parse(string file, string text)
    {
        var parser = new HclParser(file, HclLexer.Tokenize(file, text));
        var body = parser.Body(closing: false);
        return parser.Current.Kind == HclTokenKind.End ? body : throw parser.Error("unexpected '}'");
    }

    public static HclBody ParseFile(string path) => Parse(path, File.ReadAllText(path));

    private HclToken Current => _tokens[_pos];

    private HclBody Body(bool closing)
    {
        var attributes = new List<HclAttribute>();
        var blocks = new List<HclBlock>();
        while (true)
        {
            SkipNewlines();
            if (Current.Kind == HclTokenKind.End || (closing && Current.Is("}")))
            {
                return new HclBody(attributes, blocks);
            }

            if (Current.Kind != HclTokenKind.Identifier)
            {
                throw Error($"expected an attribute or block name, found {Current.Text}");
            }

            var name = Current;
            _pos++;
            if (Current.Is("="))
            {
                _pos++;
                var expression = Expression(stopAtBrace: closing);
                if (attributes.Any(a => a.Name == name.Text))
                {
                    throw new HclSyntaxException(_file, name.Line, $"attribute '{name.Text}' is set twice");
                }

                attributes.Add(new HclAttribute(name.Text, expression, name.Line));
                EndOfItem();
                continue;
            }

            var labels = new List<string>();
            while (Current.Kind is HclTokenKind.String or HclTokenKind.Identifier)
            {
                if (Current.Template.Count > 0)
                {
                    throw Error("a block label cannot be a template");
                }

                labels.Add(Current.Text);
                _pos++;
            }

            if (!Current.Is("{"))
            {
                throw Error($"expected '=' or '{{' after '{name.Text}'");
            }

            _pos++;
            var body = Body(closing: true);
            if (!Current.Is("}"))
            {
                throw Error($"block '{name.Text}' is not closed");
            }

            _pos++;
            blocks.Add(new HclBlock(name.Text, labels, body, name.Line));
            EndOfItem();
        }
    }

    private List<HclToken> Expression(bool stopAtBrace)
    {
        var tokens = new List<HclToken>();
        var open = new Stack<HclToken>();
        while (true)
        {
            var t = Current;
            if (t.Kind == HclTokenKind.End || (open.Count == 0 && (t.Kind == HclTokenKind.Newline || (stopAtBrace && t.Is("}")))))
            {
                break;
            }

            if (t.Kind == HclTokenKind.Punctuation && t.Text is "(" or "[" or "{")
            {
                open.Push(t);
            }
            else if (t.Kind == HclTokenKind.Punctuation && t.Text is ")" or "]" or "}")
            {
                var expected = open.Count == 0 ? null : open.Pop().Text switch { "(" => ")", "[" => "]", _ => "}" };
                if (expected != t.Text)
                {
                    throw Error($"'{t.Text}' does not close {(expected is null ? "anything" : $"the bracket that expects '{expected}'")}");
                }
            }

            tokens.Add(t);
            _pos++;
        }

        if (open.Count > 0)
        {
            throw new HclSyntaxException(_file, open.Peek().Line, $"'{open.Peek().Text}' is never closed");
        }

        for (var i = 1; i < tokens.Count; i++)
        {
            if (IsOperand(tokens[i - 1]) && IsOperand(tokens[i]) && !Keywords.Contains(tokens[i - 1].Text) && !Keywords.Contains(tokens[i].Text))
            {
                throw new HclSyntaxException(_file, tokens[i].Line, $"'{tokens[i].Text}' follows '{tokens[i - 1].Text}' without an operator");
            }
        }

        var meaningful = tokens.Where(x => x.Kind != HclTokenKind.Newline).ToList();
        if (meaningful.Count == 0)
        {
            throw Error("an attribute needs a value");
        }

        if (meaningful[^1].Kind == HclTokenKind.Punctuation && BinaryOperators.Contains(meaningful[^1].Text) && meaningful[^1].Text != ",")
        {
            throw new HclSyntaxException(_file, meaningful[^1].Line, $"the expression ends on '{meaningful[^1].Text}'");
        }

        return tokens;
    }

    private static bool IsOperand(HclToken t) => t.Kind is HclTokenKind.Identifier or HclTokenKind.Number or HclTokenKind.String or HclTokenKind.Heredoc;

    private void EndOfItem()
    {
        if (Current.Kind is HclTokenKind.Newline or HclTokenKind.End || Current.Is("}"))
        {
            return;
        }

        throw Error($"expected the end of the line, found '{Current.Text}'");
    }

    private void SkipNewlines()
    {
        while (Current.Kind == HclTokenKind.Newline)
        {
            _pos++;
        }
    }

    private HclSyntaxException Error(string problem) => new(_file, Current.Line, problem);
}
