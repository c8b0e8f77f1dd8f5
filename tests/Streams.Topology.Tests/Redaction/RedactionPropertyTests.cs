using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

/// <summary>Random secrets embedded in random SQL, URL, JSON and log templates never survive redaction.</summary>
[TestFixture]
public sealed class RedactionPropertyTests
{
    private const int Cases = 1500;
    private const string Awkward = "'\"\\ \n\t@:/?#&=%;,)(}{][é✓`+";
    private static readonly SecretRedactor Redactor = SecretRedactor.Default;
    private static readonly string[] Names = ["password", "db_password", "X-Amz-Signature", "access_token", "apiKey", "client-secret", "PWD", "user[passwd]"];
    private static readonly string[] SqlColumns = ["password", "users.db_password", "`X-Amz-Signature`", "access_token", "apiKey", "`client_secret`", "PWD", "\"api_token\""];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Secrets_in_sql_never_survive(int seed) =>
        Check(seed, random =>
        {
            var secret = Secret(random, Awkward);
            var literal = SqlLiteral(random, secret.Text);
            var user = "u" + random.Next(1000);
            string[] templates =
            [
                $"CREATE USER '{user}'@'%' IDENTIFIED BY {literal}",
                $"ALTER USER {user} IDENTIFIED WITH caching_sha2_password BY {literal} PASSWORD EXPIRE",
                $"GRANT SELECT ON db.* TO {user} IDENTIFIED VIA ed25519 USING PASSWORD({literal}) OR unix_socket",
                $"CREATE USER {user} IDENTIFIED WITH mysql_native_password AS {literal}",
                $"SET PASSWORD FOR '{user}'@'localhost' = {literal}",
                $"SET PASSWORD = PASSWORD({literal})",
                $"SELECT OLD_PASSWORD({literal}), 1",
                $"CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD={literal}, MASTER_PORT=3306",
                $"CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h', PASSWORD {literal}, PORT 3306)",
                $"UPDATE users SET {Pick(random, SqlColumns)} = {literal} WHERE id = {random.Next(100)}",
                $"INSERT INTO users (id, {Pick(random, SqlColumns)}, note) VALUES ({random.Next(100)}, {literal}, 'n'), (2, {literal}, 'm')",
            ];
            var sql = Spacing(random, RandomCase(random, Pick(random, templates)));
            return (sql, secret, Redactor.RedactSql(sql));
        });

    [TestCase(4)]
    [TestCase(5)]
    public void Secrets_in_urls_never_survive(int seed) =>
        Check(seed, random =>
        {
            var secret = Secret(random, Awkward);
            var value = Uri.EscapeDataString(secret.Text);
            var name = RandomlyPercentEncoded(random, Pick(random, Names));
            string[] templates =
            [
                $"https://h.example/p?{name}={value}&a=1",
                $"https://h.example/p?a=1&{name}={value}#frag",
                $"/cb?{name}={value}",
                $"{name}={value}&next=%2Fhome",
                $"https://bob:{value}@h.example:8443/p?q=1",
                $"https://h.example/cb#{name}={value}&state=s",
            ];
            var url = Pick(random, templates);
            return (url, secret, Redactor.RedactUrl(url));
        });

    [TestCase(6)]
    [TestCase(7)]
    public void Secrets_in_json_never_survive(int seed) =>
        Check(seed, random =>
        {
            var secret = Secret(random, Awkward);
            object secretValue = secret.Text;
            if (random.Next(4) == 0)
            {
                var digits = Digits(random);
                secret = new SecretText(digits, [digits]);
                secretValue = long.Parse(digits);
            }

            object document = new Dictionary<string, object> { ["msg"] = "hello", [Pick(random, Names)] = secretValue };
            for (var depth = random.Next(5); depth > 0; depth--)
            {
                document = random.Next(2) == 0
                    ? new Dictionary<string, object> { ["level" + depth] = document, ["n"] = depth }
                    : new object[] { "x", document, true };
            }

            var json = JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = random.Next(2) == 0 });
            return (json, secret, Redactor.RedactJson(json));
        });

    [TestCase(8)]
    [TestCase(9)]
    public void Secrets_in_log_text_never_survive(int seed) =>
        Check(seed, random =>
        {
            var name = Pick(random, Names);
            var quoted = Secret(random, Awkward);
            var escaped = quoted.Text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("'", "\\'");
            var bare = Secret(random, "@:/?#=%+é✓.-");
            var url = Uri.EscapeDataString(quoted.Text);
            var bearer = new string(Enumerable.Range(0, random.Next(12, 40)).Select(_ => "ABCxyz0123456789-._~+/"[random.Next(22)]).ToArray());
            var bearerSecret = new SecretText(bearer, [bearer]);
            (string Text, SecretText Secret)[] templates =
            [
                ($"login failed {name}={bare.Text} for bob", bare),
                ($"login failed {name}: {bare.Text}, retrying", bare),
                ($"config {name} = \"{escaped}\" loaded", quoted),
                ($"array ( 'email' => 'a@b.c', '{name}' => '{escaped}' )", quoted),
                ($"payload {{\"{name}\":\"{escaped}\",\"id\":3}}", quoted),
                ($"GET https://h.example/cb?{name}={url}&a=1 HTTP/1.1", quoted),
                ($"connecting to mysql://root:{url}@db:3306/app", quoted),
                ($"Authorization: Bearer {bearer}", bearerSecret),
            ];
            var (text, secret) = Pick(random, templates);
            return (text, secret, Redactor.RedactText(text));
        });

    private sealed record SecretText(string Text, string[] Fragments);

    private static void Check(int seed, Func<Random, (string Input, SecretText Secret, string Output)> generate)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var (input, secret, output) = generate(random);
            foreach (var fragment in secret.Fragments)
            {
                if (output.Contains(fragment, StringComparison.Ordinal))
                {
                    Assert.Fail($"seed {seed} case {i}: '{fragment}' survived\ninput:  {input}\noutput: {output}");
                }
            }
        }
    }

    /// <summary>Random alphanumeric fragments (the part a test can look for) joined by characters that are hard to quote.</summary>
    private static SecretText Secret(Random random, string separators)
    {
        var fragments = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Fragment(random)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < fragments.Length; i++)
        {
            if (i > 0 || random.Next(3) == 0)
            {
                text.Append(separators[random.Next(separators.Length)]);
            }

            text.Append(fragments[i]);
        }

        return new SecretText(text.ToString(), fragments);
    }

    private static string Fragment(Random random)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return "Q" + new string(Enumerable.Range(0, random.Next(7, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private static string Digits(Random random) => random.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString();

    private static string SqlLiteral(Random random, string secret)
    {
        var quote = random.Next(2) == 0 ? '\'' : '"';
        var doubled = random.Next(2) == 0;
        var escaped = secret.Replace("\\", "\\\\").Replace(quote.ToString(), doubled ? new string(quote, 2) : "\\" + quote);
        var introducer = random.Next(5) == 0 && quote == '\'' ? "_utf8mb4" : string.Empty;
        return introducer + quote + escaped + quote;
    }

    /// <summary>Single spaces become runs of spaces, tabs or line breaks, as hand-written multi-line statements have.</summary>
    private static string Spacing(Random random, string sql)
    {
        var text = new StringBuilder();
        var inQuote = '\0';
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (inQuote != '\0')
            {
                text.Append(c);
                if (c == '\\' && i + 1 < sql.Length)
                {
                    text.Append(sql[++i]);
                }
                else if (c == inQuote)
                {
                    inQuote = '\0';
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                inQuote = c;
            }

            text.Append(c == ' ' ? Pick(random, [" ", "  ", "\n  ", "\t", "\r\n"]) : c.ToString());
        }

        return text.ToString();
    }

    private static string RandomCase(Random random, string sql) =>
        random.Next(3) switch
        {
            0 => sql.Replace("IDENTIFIED", "identified").Replace("PASSWORD", "password").Replace("SET ", "set "),
            1 => sql.Replace("BY", "By").Replace("USING", "using"),
            _ => sql,
        };

    private static string RandomlyPercentEncoded(Random random, string name) =>
        string.Concat(name.Select(c => random.Next(4) == 0 ? $"%{(int)c:X2}" : Uri.EscapeDataString(c.ToString())));

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
