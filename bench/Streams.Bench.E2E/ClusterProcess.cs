using System.Diagnostics;
using Streams.Runtime.Embedded;

namespace Streams.Bench.E2E;

/// <summary>
/// The embedded cluster in a child process (this executable with the argument "cluster"), so the broker's in-memory
/// log does not count in the peak RSS of the process that runs the topology. Commands on stdin: "topic NAME PARTITIONS", "exit".
/// </summary>
internal sealed class ClusterProcess : IDisposable
{
    private readonly Process _process;

    private ClusterProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public int ProcessId => _process.Id;

    /// <param name="initialRebalanceDelayMs">
    /// The coordinator's wait for more members of a new group (a real broker's group.initial.rebalance.delay.ms is 3 s).
    /// With several stream threads it lets them share the first generation: on the embedded cluster a member joining
    /// later waits for two whole join phases (session timeout less a second each) before it gets a task.
    /// </param>
    public static ClusterProcess Start(int initialRebalanceDelayMs = 0)
    {
        // Run as "dotnet Streams.Bench.E2E.dll": the child is the same dll under the same host.
        var host = Environment.ProcessPath!;
        var arguments = Path.GetFileNameWithoutExtension(host) == "dotnet" ? $"\"{typeof(ClusterProcess).Assembly.Location}\" cluster {initialRebalanceDelayMs}" : $"cluster {initialRebalanceDelayMs}";
        var start = new ProcessStartInfo(host, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the cluster process");
        // librdkafka may print notices first; the bootstrap line is ours.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("bootstrap ", StringComparison.Ordinal))
            {
                return new ClusterProcess(process, line["bootstrap ".Length..]);
            }
        }

        throw new InvalidOperationException("the cluster process exited before it printed its bootstrap servers");
    }

    /// <summary>The child's side: host the cluster until "exit".</summary>
    public static int Serve(int initialRebalanceDelayMs)
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1, initialRebalanceDelayMs);
        Console.WriteLine("bootstrap " + cluster.BootstrapServers);
        while (Console.ReadLine() is { } command)
        {
            var parts = command.Split(' ');
            if (parts[0] == "exit")
            {
                break;
            }

            if (parts[0] == "delay")
            {
                cluster.SetInitialRebalanceDelay(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                Console.WriteLine("ok");
            }

            if (parts[0] == "topic")
            {
                cluster.CreateTopic(parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 1);
                Console.WriteLine("ok");
            }
        }

        return 0;
    }

    public void CreateTopic(string name, int partitions) => Command($"topic {name} {partitions}");

    private void Command(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        while (_process.StandardOutput.ReadLine() is { } line && line != "ok")
        {
        }
    }

    /// <summary>The coordinator's wait for more members of a new group, from now on.</summary>
    public void SetInitialRebalanceDelay(int delayMs) => Command($"delay {delayMs}");

    public long PeakRssBytes() => PeakRss.Of(_process.Id);

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("exit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
