namespace Streams.Topology.Redaction;

/// <summary>What the redactor treats as secret. Names match case-insensitively, ignoring '-', '_', '.' and brackets.</summary>
public sealed record RedactionOptions
{
    public static IReadOnlyList<string> DefaultSensitiveNames { get; } =
        ["password", "passwd", "pwd", "token", "access_token", "api_key", "apikey", "secret", "signature"];

    public static RedactionOptions Default { get; } = new();

    /// <summary>
    /// A parameter, key or column is sensitive when its name equals or ends with one of these
    /// ("db_password", "X-Amz-Signature"), or starts with one followed by a separator ("password_confirmation").
    /// </summary>
    public IReadOnlyList<string> SensitiveNames { get; init; } = DefaultSensitiveNames;
}
