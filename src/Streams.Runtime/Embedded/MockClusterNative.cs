using System.Reflection;
using System.Runtime.InteropServices;

namespace Streams.Runtime.Embedded;

/// <summary>
/// P/Invoke into librdkafka's mock cluster. The plain librdkafka.so in the package needs libsasl2,
/// which Debian lacks, so Confluent.Kafka falls back to the centos8 build; we bind the same file.
/// </summary>
internal static partial class MockClusterNative
{
    private const string Library = "librdkafka-mock";

    static MockClusterNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(MockClusterNative).Assembly, Resolve);
    }

    /// <summary>Touching this runs the static constructor before the first call.</summary>
    public static void EnsureResolver()
    {
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException("librdkafka (centos8 build) not found next to the application; looked in: " + string.Join(", ", Candidates()));
    }

    private static IEnumerable<string> Candidates()
    {
        var baseDir = AppContext.BaseDirectory;
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        yield return Path.Combine(baseDir, "runtimes", rid, "native", "centos8-librdkafka.so");
        yield return Path.Combine(baseDir, "centos8-librdkafka.so");
        yield return Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.so");
        yield return Path.Combine(baseDir, "librdkafka.so");
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_set_leader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_rtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_coordinator_set(IntPtr mcluster, string keyType, string key, int brokerId);
}
