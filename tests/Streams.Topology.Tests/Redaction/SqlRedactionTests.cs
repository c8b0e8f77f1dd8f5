using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

[TestFixture]
public sealed class SqlRedactionTests
{
    private static readonly SecretRedactor Redactor = SecretRedactor.Default;

    [TestCase(
        "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app-pass'",
        "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'REDACTED'")]
    [TestCase("create user 'a'@'%' identified by \"p\\\"w\"", "create user 'a'@'%' identified by \"REDACTED\"")]
    [TestCase("ALTER USER 'a'@'%' IDENTIFIED BY 'it''s \\'quoted\\''", "ALTER USER 'a'@'%' IDENTIFIED BY 'REDACTED'")]
    [TestCase(
        "CREATE USER 'a'@'%' IDENTIFIED WITH caching_sha2_password BY 'pw1'",
        "CREATE USER 'a'@'%' IDENTIFIED WITH caching_sha2_password BY 'REDACTED'")]
    [TestCase(
        "CREATE USER 'a'@'%' IDENTIFIED WITH mysql_native_password AS '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
        "CREATE USER 'a'@'%' IDENTIFIED WITH mysql_native_password AS 'REDACTED'")]
    [TestCase(
        "CREATE USER 'a'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('pw1') OR unix_socket",
        "CREATE USER 'a'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('REDACTED') OR unix_socket")]
    [TestCase(
        "GRANT ALL ON *.* TO 'a'@'%' IDENTIFIED VIA mysql_native_password USING '*6BB48'",
        "GRANT ALL ON *.* TO 'a'@'%' IDENTIFIED VIA mysql_native_password USING 'REDACTED'")]
    [TestCase(
        "GRANT USAGE ON *.* TO 'a'@'%' IDENTIFIED BY PASSWORD '*6BB48'",
        "GRANT USAGE ON *.* TO 'a'@'%' IDENTIFIED BY PASSWORD 'REDACTED'")]
    [TestCase("SELECT PASSWORD('pw1'), OLD_PASSWORD( 'pw2' )", "SELECT PASSWORD('REDACTED'), OLD_PASSWORD( 'REDACTED' )")]
    [TestCase("SET PASSWORD = 'pw1'", "SET PASSWORD = 'REDACTED'")]
    [TestCase("set password for 'a'@'%' = password('pw1')", "set password for 'a'@'%' = password('REDACTED')")]
    [TestCase(
        "SET PASSWORD FOR 'a'@'%' = 'pw1' REPLACE 'pw0' RETAIN CURRENT PASSWORD",
        "SET PASSWORD FOR 'a'@'%' = 'REDACTED' REPLACE 'REDACTED' RETAIN CURRENT PASSWORD")]
    [TestCase(
        "ALTER USER 'a'@'%' IDENTIFIED BY 'pw1' REPLACE 'pw0'",
        "ALTER USER 'a'@'%' IDENTIFIED BY 'REDACTED' REPLACE 'REDACTED'")]
    [TestCase(
        "CHANGE MASTER TO MASTER_HOST='db1', MASTER_USER='repl', MASTER_PASSWORD='pw1', MASTER_PORT=3306",
        "CHANGE MASTER TO MASTER_HOST='db1', MASTER_USER='repl', MASTER_PASSWORD='REDACTED', MASTER_PORT=3306")]
    [TestCase(
        "CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = \"pw1\", SOURCE_SSL=1",
        "CHANGE REPLICATION SOURCE TO SOURCE_PASSWORD = \"REDACTED\", SOURCE_SSL=1")]
    [TestCase("START SLAVE USER='repl' PASSWORD='pw1'", "START SLAVE USER='repl' PASSWORD='REDACTED'")]
    [TestCase(
        "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'remote', HOST '10.0.0.1', PASSWORD 'pw1', PORT 3306)",
        "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'remote', HOST '10.0.0.1', PASSWORD 'REDACTED', PORT 3306)")]
    [TestCase(
        "UPDATE users SET `api_token` = 'tok1', name = 'bob' WHERE users.password = 'pw1' AND id = 7",
        "UPDATE users SET `api_token` = 'REDACTED', name = 'bob' WHERE users.password = 'REDACTED' AND id = 7")]
    [TestCase("UPDATE users SET pin_token = 123456 WHERE id = 7", "UPDATE users SET pin_token = REDACTED WHERE id = 7")]
    [TestCase("CREATE USER a IDENTIFIED BY _utf8mb4'pw1'", "CREATE USER a IDENTIFIED BY _utf8mb4'REDACTED'")]
    [TestCase("/*!80000 CREATE USER a IDENTIFIED BY 'pw1' */", "/*!80000 CREATE USER a IDENTIFIED BY 'REDACTED' */")]
    [TestCase(
        "INSERT INTO users (name, password, email) VALUES ('bob', 'pw1', 'b@x.org'), ('al', \"pw2\", 'a@x.org')",
        "INSERT INTO users (name, password, email) VALUES ('bob', 'REDACTED', 'b@x.org'), ('al', \"REDACTED\", 'a@x.org')")]
    [TestCase(
        "INSERT INTO app.users(`name`, `api_token`, n) VALUES ('a, b', SHA2('tok1', 256), 3)",
        "INSERT INTO app.users(`name`, `api_token`, n) VALUES ('a, b', SHA2('REDACTED', REDACTED), 3)")]
    [TestCase(
        "REPLACE INTO users (id, password) VALUE (7, 'pw1') ON DUPLICATE KEY UPDATE password = 'pw2', id = 8",
        "REPLACE INTO users (id, password) VALUE (7, 'REDACTED') ON DUPLICATE KEY UPDATE password = 'REDACTED', id = 8")]
    [TestCase(
        "insert into users partition (p0) (name, passwd) values ('bob', 'pw1')",
        "insert into users partition (p0) (name, passwd) values ('bob', 'REDACTED')")]
    [TestCase(
        "INSERT INTO users (users.password, app.users.name) VALUES ('pw1', 'bob')",
        "INSERT INTO users (users.password, app.users.name) VALUES ('REDACTED', 'bob')")]
    public void Password_literal_is_masked_and_the_rest_of_the_statement_kept(string sql, string expected) =>
        Assert.That(Redactor.RedactSql(sql), Is.EqualTo(expected));

    [Test]
    public void Multi_line_statement_is_masked_across_line_breaks()
    {
        const string sql = "CREATE USER 'a'@'%'\n    IDENTIFIED BY\n    'pw1'\n    PASSWORD EXPIRE INTERVAL 90 DAY";
        Assert.That(
            Redactor.RedactSql(sql),
            Is.EqualTo("CREATE USER 'a'@'%'\n    IDENTIFIED BY\n    'REDACTED'\n    PASSWORD EXPIRE INTERVAL 90 DAY"));
    }

    [Test]
    public void Literal_spanning_lines_is_masked_whole()
    {
        const string sql = "ALTER USER a IDENTIFIED BY 'first line\nsecond line' ACCOUNT UNLOCK";
        Assert.That(Redactor.RedactSql(sql), Is.EqualTo("ALTER USER a IDENTIFIED BY 'REDACTED' ACCOUNT UNLOCK"));
    }

    [Test]
    public void Statement_cut_short_inside_the_password_is_masked_to_the_end() =>
        Assert.That(Redactor.RedactSql("CREATE USER a IDENTIFIED BY 'pw1 and mo"), Is.EqualTo("CREATE USER a IDENTIFIED BY 'REDACTED"));

    [Test]
    public void Password_clause_ends_with_the_statement()
    {
        const string sql = "CREATE USER a IDENTIFIED BY 'pw1'; SELECT 'kept' AS b; SET @x = 'kept too'";
        Assert.That(Redactor.RedactSql(sql), Is.EqualTo("CREATE USER a IDENTIFIED BY 'REDACTED'; SELECT 'kept' AS b; SET @x = 'kept too'"));
    }

    [Test]
    public void Quotes_in_comments_do_not_confuse_the_scanner()
    {
        const string sql = "-- don't log this\n# it's a comment\n/* isn't it */ CREATE USER a IDENTIFIED BY 'pw1'";
        Assert.That(Redactor.RedactSql(sql), Does.EndWith("IDENTIFIED BY 'REDACTED'").And.Not.Contain("pw1"));
    }

    [Test]
    public void Keywords_inside_literals_are_not_mistaken_for_a_password_clause()
    {
        const string sql = "SELECT 'IDENTIFIED BY' AS a, 'x' FROM t WHERE note = 'SET PASSWORD is a statement'";
        Assert.That(Redactor.RedactSql(sql), Is.SameAs(sql));
    }

    [Test]
    public void Urls_and_pairs_inside_other_literals_are_masked()
    {
        const string sql = "INSERT INTO audit (url, note) VALUES ('https://u:pw1@h/cb?token=tok1&a=1', 'api_key=key1 rotated')";
        Assert.That(
            Redactor.RedactSql(sql),
            Is.EqualTo("INSERT INTO audit (url, note) VALUES ('https://u:REDACTED@h/cb?token=REDACTED&a=1', 'api_key=REDACTED rotated')"));
    }

    [TestCase("SELECT * FROM users WHERE id = 42")]
    [TestCase("INSERT INTO users VALUES ('bob', 'no column names, so nothing to go by')")]
    [TestCase("INSERT INTO users (name, note) VALUES ('bob', 'x'); INSERT INTO t (password) SELECT p FROM s")]
    [TestCase("SELECT password_expired, password_last_changed FROM mysql.user")]
    [TestCase("UPDATE users SET password = NULL WHERE id = 1")]
    [TestCase("UPDATE users SET password = password WHERE id = 1")]
    [TestCase("SELECT 1 FROM t WHERE u.password = p.password")]
    [TestCase("")]
    [TestCase("'")]
    [TestCase("IDENTIFIED BY")]
    public void Statement_without_a_secret_value_is_returned_as_is(string sql) =>
        Assert.That(Redactor.RedactSql(sql), Is.SameAs(sql));
}
