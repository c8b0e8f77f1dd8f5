using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

[TestFixture]
public sealed class SensitiveNameTests
{
    [TestCase("password")]
    [TestCase("PASSWORD")]
    [TestCase("passwd")]
    [TestCase("pwd")]
    [TestCase("token")]
    [TestCase("access_token")]
    [TestCase("accessToken")]
    [TestCase("api_key")]
    [TestCase("api-key")]
    [TestCase("apikey")]
    [TestCase("secret")]
    [TestCase("client_secret")]
    [TestCase("signature")]
    [TestCase("db_password")]
    [TestCase("X-Amz-Signature")]
    [TestCase("user[password]")]
    [TestCase("password_confirmation")]
    [TestCase("Password-Repeat")]
    [TestCase("MASTER_PASSWORD")]
    public void Default_names_and_their_suffix_forms_are_sensitive(string name) =>
        Assert.That(SecretRedactor.Default.IsSensitiveName(name), Is.True);

    [TestCase("user")]
    [TestCase("password_expired")]
    [TestCase("token_type")]
    [TestCase("signature_version")]
    [TestCase("passwords_count")]
    [TestCase("tokenizer")]
    [TestCase("secretary")]
    [TestCase("")]
    public void Other_names_are_not_sensitive(string name) =>
        Assert.That(SecretRedactor.Default.IsSensitiveName(name), Is.False);

    [Test]
    public void Options_replace_the_default_names()
    {
        var redactor = new SecretRedactor(new RedactionOptions { SensitiveNames = ["session_id"] });
        Assert.Multiple(() =>
        {
            Assert.That(redactor.RedactUrl("/a?session_id=s1&password=p1"), Is.EqualTo("/a?session_id=REDACTED&password=p1"));
            Assert.That(redactor.RedactText("SESSION-ID: s1"), Is.EqualTo("SESSION-ID: REDACTED"));
            Assert.That(redactor.RedactJson("""{"phpSessionId":"s1"}"""), Is.EqualTo("""{"phpSessionId":"REDACTED"}"""));
        });
    }
}
