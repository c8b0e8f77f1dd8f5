using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

/// <summary>
/// <see cref="SecretRedactor.MayHoldSecret"/> lets the curated-record walk skip the SQL and free-text rules: it may
/// say yes to text with nothing to mask, never no to text the rules would change.
/// </summary>
[TestFixture]
public sealed class SecretPrefilterTests
{
    private static readonly string[] Pieces =
    [
        "SELECT ", "UPDATE users SET ", "INSERT INTO t (name, ", ") VALUES ('a', ", "WHERE ", "password", "PASSWORD(", "pass",
        "word", "_", "-", ".", " ", "[", "]", "=", ": ", "'", "\"", "(", ")", ",", "secret", "api", "key", "Api-Key", "token",
        "access_token", "confirmation", "_confirm", "pwd", "passwd", "IDENTIFIED BY ", "identified", "Bearer ", "basic ",
        "Authorization: ", "https://", "user:pw@host", "?a=1&", "signature", "Sig", "x", "42", "é", "&", "\n",
    ];

    [Test]
    public void Text_it_passes_over_comes_back_from_the_rules_unchanged([Values(1, 2, 3, 4)] int seed)
    {
        var redactor = SecretRedactor.Default;
        var random = new Random(seed);
        int skipped = 0, changed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var redacted = redactor.RedactText(redactor.RedactSql(text));
            changed += redacted == text ? 0 : 1;
            if (!redactor.MayHoldSecret(text))
            {
                skipped++;
                Assert.That(redacted, Is.EqualTo(text), "passed over, but the rules mask something");
            }
        }

        Assert.That(skipped, Is.GreaterThan(200), "enough texts are passed over to test the promise");
        Assert.That(changed, Is.GreaterThan(200), "and enough hold secrets for the rules to find");
    }

    [TestCase("user[api key]=abc")]
    [TestCase("Pass_Word=hunter2")]
    [TestCase("password_confirmation: hunter2")]
    [TestCase("Authorization: Bearer abc.def")]
    [TestCase("mysql://root:hunter2@db")]
    public void Text_with_a_secret_is_examined(string text) =>
        Assert.That(SecretRedactor.Default.MayHoldSecret(text), Is.True);
}
