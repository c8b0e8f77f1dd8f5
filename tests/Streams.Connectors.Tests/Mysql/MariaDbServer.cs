using System.Diagnostics;
using MySqlConnector;

namespace Streams.Connectors.Tests.Mysql;

/// <summary>
/// A private MariaDB server for the mysql connector tests: a fresh data directory from mariadb-install-db, a unix
/// socket and no TCP, the general and slow logs (long_query_time=0) written to their tables. One server serves the
/// whole test run (<see cref="Shared"/>); <see cref="MysqlServerSetup"/> stops it at the end. Debian's mariadb-server
/// package provides it; set MARIADBD to use another binary.
/// </summary>
internal sealed class MariaDbServer : IAsyncDisposable
{
    private static readonly Lazy<Task<MariaDbServer>> Instance = new(() => StartAsync());
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly Process _process;

    private MariaDbServer(string directory, Process process)
    {
        _directory = directory;
        _process = process;
    }

    public string Socket => Path.Combine(_directory, "mysqld.sock");

    /// <summary>The server of this test run, started on first use.</summary>
    public static Task<MariaDbServer> Shared() => Instance.Value;

    /// <summary>Stops the shared server if one was started.</summary>
    public static async Task StopShared()
    {
        if (Instance.IsValueCreated && Instance.Value.IsCompletedSuccessfully)
        {
            await (await Instance.Value).DisposeAsync();
        }
    }

    public string ConnectionString(string user, string password = "") => new MySqlConnectionStringBuilder
    {
        Server = Socket,
        ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
        UserID = user,
        Password = password,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Runs statements as root, each in its own command.</summary>
    public async Task ExecuteAsRoot(params string[] statements)
    {
        await using var connection = new MySqlConnection(ConnectionString("root"));
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new MySqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A new user that may only SELECT from the two log tables; returns its connection string.</summary>
    public async Task<string> CreateLogReader(string user)
    {
        await ExecuteAsRoot(
            $"CREATE USER '{user}'@'localhost' IDENTIFIED BY 'pw-{user}'",
            $"GRANT SELECT ON mysql.general_log TO '{user}'@'localhost'",
            $"GRANT SELECT ON mysql.slow_log TO '{user}'@'localhost'");
        return ConnectionString(user, "pw-" + user);
    }

    /// <summary>A new user with all rights on a database of its own; returns its connection string.</summary>
    public async Task<string> CreateWriter(string user, string database)
    {
        await ExecuteAsRoot(
            $"CREATE DATABASE {database}",
            $"CREATE USER '{user}'@'localhost' IDENTIFIED BY 'pw-{user}'",
            $"GRANT ALL ON {database}.* TO '{user}'@'localhost'");
        return new MySqlConnectionStringBuilder(ConnectionString(user, "pw-" + user)) { Database = database }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await ExecuteAsRoot("SHUTDOWN");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception ex) when (ex is MySqlException or OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<MariaDbServer> StartAsync()
    {
        var mariadbd = Environment.GetEnvironmentVariable("MARIADBD") ?? "/usr/sbin/mariadbd";
        if (!File.Exists(mariadbd))
        {
            throw new InvalidOperationException($"the mysql connector tests need a MariaDB server binary, and '{mariadbd}' does not exist: apt-get install mariadb-server (or set MARIADBD)");
        }

        var directory = Path.Combine(Path.GetTempPath(), "streams-mariadb-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root" ? " --user=root" : string.Empty;
        await Run("mariadb-install-db", $"--no-defaults --datadir={data} --auth-root-authentication-method=normal --skip-test-db{asRoot}");

        var server = new Process
        {
            StartInfo = new ProcessStartInfo(mariadbd,
                $"--no-defaults --datadir={data} --socket={directory}/mysqld.sock --skip-networking --pid-file={directory}/mysqld.pid " +
                $"--log-error={directory}/error.log --general-log=1 --log-output=TABLE --slow-query-log=1 --long-query-time=0 " +
                $"--innodb-buffer-pool-size=16M --skip-name-resolve{asRoot}")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
        };
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var instance = new MariaDbServer(directory, server);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await instance.ExecuteAsRoot("SELECT 1");
                return instance;
            }
            catch (MySqlException) when (watch.Elapsed < StartTimeout && !server.HasExited)
            {
                await Task.Delay(100);
            }
            catch (MySqlException ex)
            {
                var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "(no error log)";
                throw new InvalidOperationException($"mariadbd did not accept connections within {StartTimeout}: {ex.Message}\n{log}", ex);
            }
        }
    }

    private static async Task Run(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}

/// <summary>Stops the shared MariaDB server once every mysql test has run.</summary>
[SetUpFixture]
public sealed class MysqlServerSetup
{
    [OneTimeTearDown]
    public Task StopServer() => MariaDbServer.StopShared();
}
