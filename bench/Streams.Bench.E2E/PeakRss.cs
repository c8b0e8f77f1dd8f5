namespace Streams.Bench.E2E;

/// <summary>Peak resident set size from /proc (VmHWM), and its reset (clear_refs 5) so each phase has its own peak.</summary>
internal static partial class PeakRss
{
    public static long Of(int pid) => Read($"/proc/{pid}/status", "VmHWM:");

    public static long Current() => Read("/proc/self/status", "VmHWM:");

    /// <summary>
    /// Starts a phase's peak from what the process uses now: memory an earlier phase freed goes back to the system first
    /// (glibc keeps freed native memory resident, RocksDB's and librdkafka's of the "no kafka" phase and the ceiling
    /// included, and it counted in the topology's peak).
    /// </summary>
    public static void Reset()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                MallocTrim(0);
            }
            catch (EntryPointNotFoundException)
            {
                // Not glibc.
            }
            catch (DllNotFoundException)
            {
            }
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Kernels without clear_refs keep the peak since start; the figure is then an upper bound.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long Read(string path, string field)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
