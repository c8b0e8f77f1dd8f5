using System.Globalization;

namespace Streams.Bench.E2E;

/// <summary>
/// CPU time of threads of this process from /proc (Linux): what the stream threads spend per record, a figure that
/// other work on the same cores disturbs far less than events/s.
/// </summary>
internal static class ThreadCpu
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>CPU time of the calling thread so far.</summary>
    public static TimeSpan Current() => Parse(File.ReadAllText("/proc/thread-self/stat"));

    /// <summary>CPU time so far of the threads whose name starts with <paramref name="namePrefix"/>.</summary>
    public static TimeSpan Of(string namePrefix)
    {
        var total = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(namePrefix, StringComparison.Ordinal))
                {
                    total += Parse(File.ReadAllText(Path.Combine(task, "stat")));
                }
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return total;
    }

    private static TimeSpan Parse(string stat)
    {
        // After the ")" that closes the name come state (field 3) ... utime (14) and stime (15).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
