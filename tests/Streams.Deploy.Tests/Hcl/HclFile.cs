namespace Streams.Deploy.Tests.Hcl;

/// <summary>An attribute: its name and the tokens of its expression (interpolated parts included).</summary>
internal sealed record HclAttribute(string Name, IReadOnlyList<HclToken> Expression, int Line)
{
    /// <summary>The literal text when the expression is one plain string.</summary>
    public string? StringValue => Expression is [{ Kind: HclTokenKind.String, Template.Count: 0 } only] ? only.Text : null;

    /// <summary>The keys of an object constructor <c>{ key = …, … }</c> at its top level.</summary>
    public IReadOnlyList<string> ObjectKeys()
    {
        var keys = new List<string>();
        var depth = 0;
        for (var i = 0; i < Expression.Count; i++)
        {
            var t = Expression[i];
            if (t.Kind == HclTokenKind.Punctuation && t.Text is "{" or "[" or "(")
            {
                depth++;
            }
            else if (t.Kind == HclTokenKind.Punctuation && t.Text is "}" or "]" or ")")
            {
                depth--;
            }
            else if (depth == 1 && t.Kind is HclTokenKind.Identifier or HclTokenKind.String && i + 1 < Expression.Count && (Expression[i + 1].Is("=") || Expression[i + 1].Is(":"))
                     && (Expression[i - 1].Is("{") || Expression[i - 1].Is(",") || Expression[i - 1].Kind == HclTokenKind.Newline))
            {
                keys.Add(t.Text);
            }
        }

        return keys;
    }
}

/// <summary>A block: its type, labels and body.</summary>
internal sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, int Line);

/// <summary>The attributes and blocks of a file or a block.</summary>
internal sealed record HclBody(IReadOnlyList<HclAttribute> Attributes, IReadOnlyList<HclBlock> Blocks)
{
    public HclAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public IEnumerable<HclBlock> BlocksOf(string type) => Blocks.Where(b => b.Type == type);

    /// <summary>Every token of every expression in this body and the blocks inside it, interpolations included.</summary>
    public IEnumerable<HclToken> AllExpressionTokens()
    {
        foreach (var token in Attributes.SelectMany(a => a.Expression).SelectMany(Flatten))
        {
            yield return token;
        }

        foreach (var token in Blocks.SelectMany(b => b.Body.AllExpressionTokens()))
        {
            yield return token;
        }
    }

    /// <summary>Names referenced as <c>root.name</c> (e.g. var.region, local.tags, module.kafka) anywhere in the body.</summary>
    public IEnumerable<(string Name, int Line)> References(string root) => References(AllExpressionTokens().ToList(), root);

    /// <summary>As <see cref="References(string)"/> but <c>root.name.attribute</c>: module outputs.</summary>
    public IEnumerable<(string Name, string Attribute, int Line)> References2(string root)
    {
        var tokens = AllExpressionTokens().ToList();
        for (var i = 0; i + 4 < tokens.Count; i++)
        {
            if (IsRoot(tokens, i, root) && tokens[i + 2].Kind == HclTokenKind.Identifier && tokens[i + 3].Is(".") && tokens[i + 4].Kind == HclTokenKind.Identifier)
            {
                yield return (tokens[i + 2].Text, tokens[i + 4].Text, tokens[i].Line);
            }
        }
    }

    private static IEnumerable<(string, int)> References(List<HclToken> tokens, string root)
    {
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (IsRoot(tokens, i, root) && tokens[i + 2].Kind == HclTokenKind.Identifier)
            {
                yield return (tokens[i + 2].Text, tokens[i].Line);
            }
        }
    }

    private static bool IsRoot(List<HclToken> tokens, int i, string root) =>
        tokens[i].Kind == HclTokenKind.Identifier && tokens[i].Text == root && tokens[i + 1].Is(".") && (i == 0 || !tokens[i - 1].Is("."));

    private static IEnumerable<HclToken> Flatten(HclToken token) => new[] { token }.Concat(token.Template.SelectMany(Flatten));
}
