using System.Text;

namespace Streams.Deploy.Tests.Hcl;

/// <summary>
/// Splits HCL native syntax (the subset Terraform files use: comments, identifiers, numbers, quoted templates with
/// interpolations and directives, heredocs, operators) into tokens, and refuses anything else, naming the line.
/// </summary>
internal sealed class HclLexer
{
    private static readonly string[] Operators = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", "{", "}", "[", "]", "(", ")", "=", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ","];

    private readonly string _file;
    private readonly string _text;
    private int _pos;
    private int _line;

    private HclLexer(string file, string text, int line)
    {
        _file = file;
        _text = text;
        _line = line;
    }

    public static List<HclToken> Tokenize(string file, string text) => new HclLexer(file, text, 1).Run(insideTemplate: false);

    private List<HclToken> Run(bool insideTemplate)
    {
        var tokens = new List<HclToken>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '\n')
            {
                tokens.Add(new HclToken(HclTokenKind.Newline, "\n", _line, []));
                _line++;
                _pos++;
            }
            else if (c == '#' || Ahead("//"))
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (Ahead("/*"))
            {
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("unterminated /* comment");
                }

                _line += _text.AsSpan(_pos, end - _pos).Count('\n');
                _pos = end + 2;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '-'))
                {
                    _pos++;
                }

                tokens.Add(new HclToken(HclTokenKind.Identifier, _text[start.._pos], _line, []));
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(Number());
            }
            else if (c == '"')
            {
                tokens.Add(QuotedTemplate());
            }
            else if (Ahead("<<") && !insideTemplate && _pos + 2 < _text.Length && (_text[_pos + 2] == '-' || char.IsAsciiLetter(_text[_pos + 2])))
            {
                tokens.Add(Heredoc());
            }
            else
            {
                var op = Operators.FirstOrDefault(Ahead) ?? throw Error($"unexpected character '{c}'");
                tokens.Add(new HclToken(HclTokenKind.Punctuation, op, _line, []));
                _pos += op.Length;
            }
        }

        return tokens;
    }

    private HclToken Number()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || (_text[_pos] == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))))
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < _text.Length && _text[_pos] is '+' or '-')
            {
                _pos++;
            }

            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }
        }

        return new HclToken(HclTokenKind.Number, _text[start.._pos], _line, []);
    }

    private HclToken QuotedTemplate()
    {
        var line = _line;
        _pos++;
        var literal = new StringBuilder();
        var parts = new List<HclToken>();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw new HclSyntaxException(_file, line, "unterminated string");
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return new HclToken(HclTokenKind.String, literal.ToString(), line, parts);
            }

            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length || "nrt\"\\uU".IndexOf(_text[_pos + 1], StringComparison.Ordinal) < 0)
                {
                    throw Error("unknown escape in string");
                }

                literal.Append(c).Append(_text[_pos + 1]);
                _pos += 2;
            }
            else if (Ahead("$${") || Ahead("%%{"))
            {
                literal.Append(_text, _pos + 1, 2);
                _pos += 3;
            }
            else if (Ahead("${") || Ahead("%{"))
            {
                parts.AddRange(Interpolation());
            }
            else
            {
                literal.Append(c);
                _pos++;
            }
        }
    }

    private HclToken Heredoc()
    {
        var line = _line;
        _pos += 2;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        var marker = _text[start.._pos];
        if (_pos >= _text.Length || _text[_pos] != '\n')
        {
            throw Error("a heredoc marker must end its line");
        }

        _pos++;
        _line++;
        var content = new StringBuilder();
        var parts = new List<HclToken>();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new HclSyntaxException(_file, line, $"heredoc {marker} is never closed");
            }

            var end = _text.IndexOf('\n', _pos);
            var lineText = end < 0 ? _text[_pos..] : _text[_pos..end];
            if (lineText.Trim() == marker)
            {
                _pos = end < 0 ? _text.Length : end;
                return new HclToken(HclTokenKind.Heredoc, content.ToString(), line, parts);
            }

            // Interpolations inside the heredoc are read with the line's own position.
            var sub = new HclLexer(_file, lineText, _line);
            while (sub._pos < lineText.Length)
            {
                if (sub.Ahead("$${") || sub.Ahead("%%{"))
                {
                    sub._pos += 3;
                }
                else if (sub.Ahead("${") || sub.Ahead("%{"))
                {
                    parts.AddRange(sub.Interpolation());
                }
                else
                {
                    sub._pos++;
                }
            }

            content.Append(lineText).Append('\n');
            _pos = end < 0 ? _text.Length : end + 1;
            _line++;
        }
    }

    /// <summary>Reads <c>${ expr }</c> or <c>%{ directive }</c> (nested braces and strings included) and tokenizes its inside.</summary>
    private List<HclToken> Interpolation()
    {
        var line = _line;
        _pos += 2;
        var start = _pos;
        var depth = 1;
        while (depth > 0)
        {
            if (_pos >= _text.Length)
            {
                throw new HclSyntaxException(_file, line, "unterminated interpolation");
            }

            var c = _text[_pos];
            if (c == '"')
            {
                QuotedTemplate();
                continue;
            }

            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            _pos++;
        }

        var inner = new HclLexer(_file, _text[start..(_pos - 1)], line).Run(insideTemplate: true);
        if (!inner.Any(t => t.Kind != HclTokenKind.Newline))
        {
            throw new HclSyntaxException(_file, line, "empty interpolation");
        }

        return inner;
    }

    private bool Ahead(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private HclSyntaxException Error(string problem) => new(_file, _line, problem);
}
