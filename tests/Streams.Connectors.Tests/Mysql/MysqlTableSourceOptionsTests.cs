using Streams.Connectors.Mysql;
using Streams.Runtime;

namespace Streams.Connectors.Tests.Mysql;

[TestFixture]
public sealed class MysqlTableSourceOptionsTests
{
    private static readonly MysqlTableSourceOptions Valid = new() { ConnectionString = "Server=db.internal;Port=3307;User ID=streams_reader;Password=x" };

    [Test]
    public void Defaults_read_both_tables_from_their_first_row_keyed_by_host_and_port()
    {
        var options = Valid.Validate();

        Assert.Multiple(() =>
        {
            Assert.That(options.Tables, Is.EqualTo(new[] { "general_log", "slow_log" }));
            Assert.That(options.Origin, Is.EqualTo("db.internal:3307"));
            Assert.That((Valid with { ServerName = "orders-primary" }).Origin, Is.EqualTo("orders-primary"));
            Assert.That(new MysqlTableSourceOptions { ConnectionString = "Server=/run/mysqld/mysqld.sock;Protocol=Unix;User ID=r" }.Origin, Is.EqualTo("/run/mysqld/mysqld.sock"));
            Assert.That(options.InitialOffset, Is.EqualTo(MysqlTableOffset.Beginning));
            Assert.That((Valid with { InitialTime = DateTimeOffset.UnixEpoch.AddTicks(15) }).InitialOffset, Is.EqualTo(new MysqlTableOffset(1, 0)));
        });
    }

    [TestCase("Server=db;Password=x", "mysql.connection.string")]
    [TestCase("User ID=r", "mysql.connection.string")]
    [TestCase("Server=db;User ID=r;Bogus Key=1", "mysql.connection.string")]
    public void A_bad_connection_string_fails_naming_the_key(string connectionString, string key) =>
        Assert.That(() => new MysqlTableSourceOptions { ConnectionString = connectionString }.Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo(key));

    [Test]
    public void Bad_settings_fail_naming_the_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => (Valid with { Tables = [] }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.tables"));
            Assert.That(() => (Valid with { Tables = ["general_log", "general_log"] }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.tables"));
            Assert.That(() => (Valid with { Tables = ["user"] }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.tables"));
            Assert.That(() => (Valid with { ServerName = " " }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.server.name"));
            Assert.That(() => (Valid with { PollInterval = TimeSpan.Zero }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.poll.interval.ms"));
            Assert.That(() => (Valid with { BatchSize = 0 }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.batch.size"));
            Assert.That(() => (Valid with { Settle = TimeSpan.FromMilliseconds(-1) }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.settle.ms"));
            Assert.That(() => (Valid with { InitialTime = DateTimeOffset.MinValue }).Validate(), Throws.TypeOf<StreamsConfigException>().With.Property("Key").EqualTo("mysql.initial.time"));
        });
    }

    [Test]
    public async Task An_unreachable_server_is_retried_not_fatal()
    {
        var log = new RecordingLogger();
        var missing = "Server=/nonexistent/mysqld.sock;Protocol=Unix;User ID=r;Connection Timeout=1";
        await using var task = new MysqlTableSourceTask(new MysqlTableSourceOptions { ConnectionString = missing, PollInterval = TimeSpan.FromMilliseconds(10) }, log);
        await task.StartAsync(new Dictionary<string, MysqlTableOffset>(), CancellationToken.None);

        var first = await task.PollAsync(10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Empty);
            Assert.That(log.Lines, Has.Some.Contains("/nonexistent/mysqld.sock/general_log: read failed"));
            Assert.That(task.Partition("slow_log"), Is.EqualTo("/nonexistent/mysqld.sock/slow_log"));
        });
    }
}
