namespace Streams.Cli.Tests;

[TestFixture]
public sealed class ConnectCommandTests
{
    [Test]
    public async Task A_bad_setting_exits_2_naming_the_key()
    {
        var run = await CliRun.RunAsync("connect", "laravel", "-c", "bootstrap.servers=localhost:9092", "-c", "schema.registry.url=mock://connect-cli", "-c", "laravel.path=relative/laravel.log");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error.Trim(), Is.EqualTo("streams connect laravel: configuration 'laravel.path' must be an absolute path such as /var/log/app/laravel*.log"));
    }

    [Test]
    public async Task An_unknown_type_lists_the_known_ones()
    {
        var run = await CliRun.RunAsync("connect", "oracle", "-c", "bootstrap.servers=localhost:9092", "-c", "schema.registry.url=mock://connect-cli");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error.Trim(), Is.EqualTo("streams connect oracle: configuration 'connector.type' 'oracle' is not a connector type; one of: mysql, mongodb, laravel, elb"));
    }
}
