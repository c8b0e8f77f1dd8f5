namespace Streams.Topology.Redaction;

/// <summary>
/// Follows "INSERT|REPLACE INTO t (col, …) VALUES (…), (…)" token by token, so a value can be matched to its column:
/// a literal is secret when its column is ("INSERT INTO users (name, password) VALUES ('bob', 'pw')").
/// </summary>
internal sealed class SqlInsertColumns(SensitiveNames names)
{
    private readonly List<bool> _sensitive = [];
    private Phase _phase;
    private int _depth;
    private int _column;
    private bool _qualified;

    private enum Phase
    {
        None,
        Target,
        Columns,
        AfterColumns,
        Values,
    }

    /// <summary>Whether the token now being read is (part of) a value whose column is sensitive.</summary>
    public bool InSensitiveValue => _phase == Phase.Values && _depth >= 1 && _column < _sensitive.Count && _sensitive[_column];

    /// <summary>Takes the next token of the statement: an upper-cased word, a column name, or one punctuation character.</summary>
    public void Next(bool isFirst, bool isName, bool isPunctuation, string text)
    {
        switch (_phase)
        {
            case Phase.None when isFirst && !isPunctuation && text is "INSERT" or "REPLACE":
                _phase = Phase.Target;
                break;
            case Phase.Target or Phase.AfterColumns when isPunctuation && text == "(":
                // The last parenthesised list before VALUES names the columns (a PARTITION list may come first).
                _phase = Phase.Columns;
                _sensitive.Clear();
                break;
            case Phase.Target or Phase.AfterColumns when !isPunctuation && text is "VALUES" or "VALUE":
                _phase = Phase.Values;
                _depth = 0;
                break;
            case Phase.Target or Phase.AfterColumns when !isPunctuation && text is "SELECT" or "SET" or "TABLE":
                _phase = Phase.None;
                break;
            case Phase.Columns when isName && _qualified && _sensitive.Count > 0:
                // "users.password": the last part names the column.
                _sensitive[^1] = names.IsSensitive(text);
                _qualified = false;
                break;
            case Phase.Columns when isName:
                _sensitive.Add(names.IsSensitive(text));
                break;
            case Phase.Columns when isPunctuation && text == ".":
                _qualified = true;
                break;
            case Phase.Columns when isPunctuation && text == ")":
                _phase = Phase.AfterColumns;
                break;
            case Phase.Values when isPunctuation:
                Punctuation(text);
                break;
            case Phase.Values when _depth == 0 && !isName && text == "ON":
                // ON DUPLICATE KEY UPDATE col = … is covered by the "name = literal" rule.
                _phase = Phase.None;
                break;
        }
    }

    public void Reset()
    {
        _phase = Phase.None;
        _sensitive.Clear();
        _depth = 0;
        _column = 0;
        _qualified = false;
    }

    private void Punctuation(string text)
    {
        switch (text)
        {
            case "(":
                _depth++;
                if (_depth == 1)
                {
                    _column = 0;
                }

                break;
            case ")":
                _depth = Math.Max(0, _depth - 1);
                break;
            case "," when _depth == 1:
                _column++;
                break;
        }
    }
}
