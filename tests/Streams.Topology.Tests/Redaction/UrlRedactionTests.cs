using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

[TestFixture]
public sealed class UrlRedactionTests
{
    private static readonly SecretRedactor Redactor = SecretRedactor.Default;

    [TestCase("https://h/login?password=x&a=1", "https://h/login?password=REDACTED&a=1")]
    [TestCase("?password=x&a=1", "?password=REDACTED&a=1")]
    [TestCase("password=x&a=1", "password=REDACTED&a=1")]
    [TestCase("/login?a=1&PassWord=x", "/login?a=1&PassWord=REDACTED")]
    [TestCase("/cb?db_password=x&user=bob", "/cb?db_password=REDACTED&user=bob")]
    [TestCase(
        "https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=abc123&X-Amz-Expires=60",
        "https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=REDACTED&X-Amz-Expires=60")]
    [TestCase("/a?pass%77ord=x&b=2", "/a?pass%77ord=REDACTED&b=2")]
    [TestCase("/a?%70%61%73%73%77%6F%72%64=x", "/a?%70%61%73%73%77%6F%72%64=REDACTED")]
    [TestCase("/a?user%5Bpassword%5D=x&user%5Bname%5D=bob", "/a?user%5Bpassword%5D=REDACTED&user%5Bname%5D=bob")]
    [TestCase("/a?api+key=x", "/a?api+key=REDACTED")]
    [TestCase("/a?password_confirmation=x", "/a?password_confirmation=REDACTED")]
    [TestCase("/a?token=x%26y%3Dz&next=/home", "/a?token=REDACTED&next=/home")]
    [TestCase("/a?token=&b=1", "/a?token=&b=1")]
    [TestCase("https://user:secret@host/", "https://user:REDACTED@host/")]
    [TestCase("mysql://root:p%40ss@db:3306/app?ssl=1", "mysql://root:REDACTED@db:3306/app?ssl=1")]
    [TestCase("https://user@host/", "https://user@host/")]
    [TestCase("https://user:pw@host", "https://user:REDACTED@host")]
    [TestCase("https://h/cb#access_token=tok&token_type=bearer&expires_in=3600", "https://h/cb#access_token=REDACTED&token_type=bearer&expires_in=3600")]
    [TestCase("https://h/p?q=1#section", "https://h/p?q=1#section")]
    [TestCase("https://h/p#frag?password=x", "https://h/p#frag?password=REDACTED")]
    public void Sensitive_parts_are_masked(string url, string expected) =>
        Assert.That(Redactor.RedactUrl(url), Is.EqualTo(expected));

    [TestCase("https://example.com/search?q=password&page=2")]
    [TestCase("https://example.com/reset-password/confirm")]
    [TestCase("/healthcheck")]
    [TestCase("")]
    [TestCase("???&&&===")]
    [TestCase("https://@/?")]
    public void Url_without_secrets_is_returned_as_is(string url) =>
        Assert.That(Redactor.RedactUrl(url), Is.SameAs(url));
}
