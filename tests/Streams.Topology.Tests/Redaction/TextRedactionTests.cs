using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

[TestFixture]
public sealed class TextRedactionTests
{
    private static readonly SecretRedactor Redactor = SecretRedactor.Default;

    [TestCase("login failed password=hunter2 user=bob", "login failed password=REDACTED user=bob")]
    [TestCase("login failed password: hunter2, retrying", "login failed password: REDACTED, retrying")]
    [TestCase("config db_password = 's3 cr3t' loaded", "config db_password = 'REDACTED' loaded")]
    [TestCase("api_key=\"k1\\\"k2\" used", "api_key=\"REDACTED\" used")]
    [TestCase("array ( 'email' => 'a@b.c', 'password' => 'pw1' )", "array ( 'email' => 'a@b.c', 'password' => 'REDACTED' )")]
    [TestCase("payload {\"token\":\"t1\",\"id\":3}", "payload {\"token\":\"REDACTED\",\"id\":3}")]
    [TestCase("payload {\\\"token\\\":\\\"t1\\\",\\\"id\\\":3}", "payload {\\\"token\\\":\\\"REDACTED\\\",\\\"id\\\":3}")]
    [TestCase("GET /login?user=bob&password=pw1 HTTP/1.1", "GET /login?user=bob&password=REDACTED HTTP/1.1")]
    [TestCase(
        "\"GET https://h:443/cb?code=c&access_token=t1 HTTP/1.1\" 200",
        "\"GET https://h:443/cb?code=c&access_token=REDACTED HTTP/1.1\" 200")]
    [TestCase("connecting to mysql://root:pw1@db:3306/app now", "connecting to mysql://root:REDACTED@db:3306/app now")]
    [TestCase("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Authorization: Bearer REDACTED")]
    [TestCase("X-Amz-Signature=abc&X-Amz-Date=2026", "X-Amz-Signature=REDACTED&X-Amz-Date=2026")]
    [TestCase("password:\n next line kept", "password:\n next line kept")]
    [TestCase("proxy https://token:pw1@proxy.local:3128 ok", "proxy https://token:REDACTED@proxy.local:3128 ok")]
    [TestCase("if password == pw1 then", "if password == REDACTED then")]
    [TestCase("login with password: YES", "login with password: REDACTED")]
    [TestCase("http.password=pw1 http.user=bob", "http.password=REDACTED http.user=bob")]
    public void Sensitive_pairs_and_urls_are_masked(string text, string expected) =>
        Assert.That(Redactor.RedactText(text), Is.EqualTo(expected));

    [Test]
    public void A_non_sensitive_pair_does_not_hide_the_sensitive_one_after_it() =>
        Assert.That(Redactor.RedactText("note: password=pw1"), Is.EqualTo("note: password=REDACTED"));

    [TestCase("Access denied for user 'app'@'localhost' (using password: YES)")]
    [TestCase("Access denied for user 'app'@'localhost' (using password: NO)")]
    [TestCase("User bob logged in at 12:30:00 from 10.0.0.1")]
    [TestCase("forgot password link sent to bob")]
    [TestCase("the bearer of bad news")]
    [TestCase("https://example.com/reset-password")]
    [TestCase("")]
    public void Text_without_secrets_is_returned_as_is(string text) =>
        Assert.That(Redactor.RedactText(text), Is.SameAs(text));
}
