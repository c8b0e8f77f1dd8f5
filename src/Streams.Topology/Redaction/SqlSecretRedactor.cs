namespace Streams.Topology.Redaction;

/// <summary>
/// Masks passwords in SQL: literals after IDENTIFIED BY / WITH … BY / WITH … AS / VIA … USING, inside PASSWORD(…) and
/// OLD_PASSWORD(…), after SET PASSWORD … = and REPLACE, after a sensitive name with or without "=" (MASTER_PASSWORD='…',
/// OPTIONS (PASSWORD '…'), WHERE api_token = '…'), and INSERT values whose column is sensitive.
/// Other literals get the free-text rules (URLs, key=value).
/// A light tokenizer, not a parser: it knows quotes, escapes, backquotes and comments, and never throws.
/// </summary>
internal sealed class SqlSecretRedactor(SensitiveNames names, TextSecretRedactor text)
{
    public string Redact(string sql)
    {
        var redactions = new Redactions();
        var state = new StatementState(new SqlInsertColumns(names));
        var position = 0;
        while (position < sql.Length)
        {
            position = Step(sql, position, state, redactions);
        }

        return redactions.ApplyTo(sql);
    }

    /// <summary>Reads one token at <paramref name="i"/>, records what it means, and returns where the next one starts.</summary>
    private int Step(string sql, int i, StatementState state, Redactions redactions)
    {
        var c = sql[i];
        var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
        switch (c)
        {
            case var _ when char.IsWhiteSpace(c):
                return i + 1;
            case '#':
            case '-' when next == '-' && (i + 2 >= sql.Length || char.IsWhiteSpace(sql[i + 2])):
                return EndOfLine(sql, i);
            case '/' when next == '*':
                return BlockComment(sql, i);
            case '*' when next == '/':
                // The end of a /*! executable comment, whose inside was read as SQL.
                return i + 2;
            case '\'' or '"':
                return Literal(sql, i, state, redactions);
            case '`':
                var close = Closing(sql, i + 1, '`');
                state.Push(TokenKind.Word, sql[(i + 1)..Math.Min(close, sql.Length)]);
                return Math.Min(sql.Length, close + 1);
            case ';':
                state.Reset();
                return i + 1;
            case ':' when next == '=':
                state.Push(TokenKind.Punctuation, "=");
                return i + 2;
            case var _ when IsWordChar(c):
                return Word(sql, i, state, redactions);
            default:
                state.Push(TokenKind.Punctuation, c.ToString());
                return i + 1;
        }
    }

    private int Word(string sql, int start, StatementState state, Redactions redactions)
    {
        var end = start;
        while (end < sql.Length && (IsWordChar(sql[end]) || (char.IsAsciiDigit(sql[start]) && sql[end] == '.')))
        {
            end++;
        }

        var word = sql[start..end];
        // Introducers and prefixed literals: _utf8mb4'…', N'…', X'…', B'…'.
        if (end < sql.Length && sql[end] == '\'' && (word[0] == '_' || word is "N" or "n" or "X" or "x" or "B" or "b"))
        {
            return Literal(sql, end, state, redactions);
        }

        if (char.IsAsciiDigit(word[0]))
        {
            if (IsSecretPosition(state))
            {
                redactions.Add(start, end);
            }

            state.Push(TokenKind.Literal, word);
            return end;
        }

        var upper = word.ToUpperInvariant();
        if (upper == "IDENTIFIED")
        {
            state.Identified = true;
        }
        else if (upper == "PASSWORD" && state.Count == 1 && state.Last(1) is { Kind: TokenKind.Word, Text: "SET" })
        {
            state.SetPassword = true;
        }

        state.Push(TokenKind.Word, upper);
        return end;
    }

    /// <summary>A quoted literal whose opening quote is at <paramref name="quoteAt"/> (after an introducer, if any).</summary>
    private int Literal(string sql, int quoteAt, StatementState state, Redactions redactions)
    {
        var quote = sql[quoteAt];
        var close = Closing(sql, quoteAt + 1, quote);
        var contentEnd = Math.Min(close, sql.Length);
        var content = sql[(quoteAt + 1)..contentEnd];
        if (IsSecretPosition(state))
        {
            // An unterminated literal (a statement cut short) is masked to the end.
            redactions.Add(quoteAt + 1, contentEnd);
        }
        else if (content.Length > 0)
        {
            var masked = text.Redact(content);
            if (masked != content)
            {
                redactions.Add(quoteAt + 1, contentEnd, masked);
            }
        }

        // A double-quoted token may be an identifier (ANSI_QUOTES), so it can name a sensitive column.
        state.Push(quote == '"' ? TokenKind.QuotedName : TokenKind.Literal, content);
        return Math.Min(sql.Length, close + 1);
    }

    private bool IsSecretPosition(StatementState state)
    {
        if (state.Insert.InSensitiveValue)
        {
            return true;
        }

        var last = state.Last(1);
        var before = state.Last(2);
        if (last is not { } t1)
        {
            return false;
        }

        if (t1.Kind == TokenKind.Word)
        {
            return (state.Identified && t1.Text is "BY" or "USING")
                || (state.Identified && t1.Text == "AS" && state.Last(3) is { Kind: TokenKind.Word, Text: "WITH" })
                || ((state.Identified || state.SetPassword) && t1.Text == "REPLACE")
                || names.IsSensitive(t1.Text);
        }

        if (t1 is { Kind: TokenKind.Punctuation, Text: "(" })
        {
            return before is { Kind: TokenKind.Word, Text: "PASSWORD" or "OLD_PASSWORD" };
        }

        return t1 is { Kind: TokenKind.Punctuation, Text: "=" }
            && (state.SetPassword || (before is { Kind: TokenKind.Word or TokenKind.QuotedName } t2 && names.IsSensitive(t2.Text)));
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>The index of the closing quote (doubled quotes and backslash escapes skipped), or the text's length.</summary>
    private static int Closing(string sql, int start, char quote)
    {
        for (var i = start; i < sql.Length; i++)
        {
            if (sql[i] == '\\' && quote != '`')
            {
                i++;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return sql.Length;
    }

    private static int EndOfLine(string sql, int start)
    {
        var end = sql.IndexOf('\n', start);
        return end < 0 ? sql.Length : end + 1;
    }

    private static int BlockComment(string sql, int start)
    {
        // MySQL runs the inside of /*! … */ and /*+ … */ is an optimizer hint: read the first as SQL.
        if (start + 2 < sql.Length && sql[start + 2] == '!')
        {
            var inside = start + 3;
            while (inside < sql.Length && char.IsAsciiDigit(sql[inside]))
            {
                inside++;
            }

            return inside;
        }

        var end = sql.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + 2;
    }

    private enum TokenKind
    {
        Word,
        QuotedName,
        Literal,
        Punctuation,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>The last few tokens of the current statement and the password clauses seen in it.</summary>
    private sealed class StatementState(SqlInsertColumns insert)
    {
        private readonly Token[] _recent = new Token[3];
        private int _count;

        public SqlInsertColumns Insert => insert;

        /// <summary>How many tokens the statement has had so far.</summary>
        public int Count => _count;

        public bool Identified { get; set; }

        public bool SetPassword { get; set; }

        public void Push(TokenKind kind, string text)
        {
            insert.Next(_count == 0, kind is TokenKind.Word or TokenKind.QuotedName, kind == TokenKind.Punctuation, text);
            _recent[_count % _recent.Length] = new Token(kind, text);
            _count++;
        }

        /// <summary>The token <paramref name="back"/> places back (1 = the last one), if the statement has that many.</summary>
        public Token? Last(int back) => back <= _count && back <= _recent.Length ? _recent[(_count - back) % _recent.Length] : null;

        public void Reset()
        {
            _count = 0;
            insert.Reset();
            Identified = false;
            SetPassword = false;
        }
    }
}
