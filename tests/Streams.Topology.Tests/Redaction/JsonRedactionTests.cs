using System.Text.Json;
using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

[TestFixture]
public sealed class JsonRedactionTests
{
    private static readonly SecretRedactor Redactor = SecretRedactor.Default;

    [Test]
    public void String_and_number_values_of_sensitive_keys_are_masked_at_any_depth()
    {
        const string json = """{"user":"bob","password":"pw1","request":{"headers":{"X-Api-Key":"k1"},"pin_token":123456,"ok":true}}""";
        Assert.That(
            Redactor.RedactJson(json),
            Is.EqualTo("""{"user":"bob","password":"REDACTED","request":{"headers":{"X-Api-Key":"REDACTED"},"pin_token":"REDACTED","ok":true}}"""));
    }

    [Test]
    public void Everything_under_a_sensitive_key_is_masked_but_booleans_and_nulls_are_kept()
    {
        const string json = """{"secret":{"value":"s1","parts":["a",2,null,false]},"after":"kept"}""";
        Assert.That(
            Redactor.RedactJson(json),
            Is.EqualTo("""{"secret":{"value":"REDACTED","parts":["REDACTED","REDACTED",null,false]},"after":"kept"}"""));
    }

    [Test]
    public void Sensitive_keys_inside_arrays_of_objects_are_masked()
    {
        const string json = """[{"name":"a","token":"t1"},{"name":"b","token":"t2"}]""";
        Assert.That(Redactor.RedactJson(json), Is.EqualTo("""[{"name":"a","token":"REDACTED"},{"name":"b","token":"REDACTED"}]"""));
    }

    [Test]
    public void Mongodb_command_attr_with_pwd_is_masked()
    {
        const string json = """{"command":{"createUser":"app","pwd":"app-pass","roles":[{"role":"readWrite","db":"app"}],"$db":"admin"}}""";
        var redacted = Redactor.RedactJson(json);
        Assert.Multiple(() =>
        {
            Assert.That(redacted, Does.Not.Contain("app-pass"));
            Assert.That(redacted, Does.Contain("\"pwd\":\"REDACTED\""));
            Assert.That(redacted, Does.Contain("\"createUser\":\"app\""));
        });
    }

    [Test]
    public void Secrets_inside_other_string_values_get_the_free_text_rules()
    {
        const string json = """{"url":"https://u:pw1@h/cb?code=c&access_token=t1","message":"login with password=pw2 failed"}""";
        Assert.That(
            Redactor.RedactJson(json),
            Is.EqualTo("""{"url":"https://u:REDACTED@h/cb?code=c&access_token=REDACTED","message":"login with password=REDACTED failed"}"""));
    }

    [Test]
    public void Output_is_valid_json_and_keeps_non_ascii_text_readable()
    {
        const string json = """{ "name": "Zoë \"the\" ✓", "password": "pässwört\n", "n": 1.5e3 }""";
        var redacted = Redactor.RedactJson(json);
        using var document = JsonDocument.Parse(redacted);
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("name").GetString(), Is.EqualTo("Zoë \"the\" ✓"));
            Assert.That(document.RootElement.GetProperty("password").GetString(), Is.EqualTo("REDACTED"));
            Assert.That(document.RootElement.GetProperty("n").GetRawText(), Is.EqualTo("1.5e3"));
            Assert.That(redacted, Does.Contain("Zoë"));
        });
    }

    [Test]
    public void Document_without_secrets_is_returned_as_is_with_its_spacing()
    {
        const string json = "{ \"a\" : [1, 2],\n  \"b\": {\"c\": \"d\"} }";
        Assert.That(Redactor.RedactJson(json), Is.SameAs(json));
    }

    [TestCase("{\"password\":\"pw1\"")]
    [TestCase("{\"password\":\"pw1\"} trailing")]
    [TestCase("not json password=pw1")]
    [TestCase("{'password':'pw1'}")]
    [TestCase("")]
    [TestCase("   ")]
    public void Invalid_json_is_returned_unchanged(string text) =>
        Assert.That(Redactor.RedactJson(text), Is.SameAs(text));

    [Test]
    public void Deeply_nested_document_is_still_redacted()
    {
        var json = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "{\"token\":\"t1\"}" + new string('}', 100);
        Assert.That(Redactor.RedactJson(json), Does.Not.Contain("t1").And.Contain("\"token\":\"REDACTED\""));
    }

    [Test]
    public void A_document_after_one_that_failed_half_way_or_a_large_one_is_redacted_on_its_own()
    {
        // The thread reuses its output buffer and writer: nothing of the previous document may leak into the next.
        const string small = """{"password":"pw1","n":1}""";
        var large = "{\"items\":[" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"id\":{i},\"token\":\"t{i}\"}}")) + "]}";
        Assert.Multiple(() =>
        {
            Assert.That(Redactor.RedactJson("{\"a\":{\"password\":\"half\",\"b\":[1,2"), Is.EqualTo("{\"a\":{\"password\":\"half\",\"b\":[1,2"));
            Assert.That(Redactor.RedactJson(small), Is.EqualTo("""{"password":"REDACTED","n":1}"""));
            var redactedLarge = Redactor.RedactJson(large);
            Assert.That(redactedLarge, Does.Not.Contain("\"t4999\"").And.Contain("{\"id\":4999,\"token\":\"REDACTED\"}]}"));
            Assert.That(redactedLarge.Length, Is.GreaterThan(64 * 1024));
            Assert.That(Redactor.RedactJson(small), Is.EqualTo("""{"password":"REDACTED","n":1}"""));
        });
    }
}
