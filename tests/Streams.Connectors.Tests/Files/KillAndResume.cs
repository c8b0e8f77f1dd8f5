using System.Text;
using Avro.Specific;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Tests.Files;

/// <summary>
/// The exactly-once proof for a file connector: a writer appends entries to a log file while connector runners are
/// started and killed (disposed without a stop, so what was read but not committed is lost) at random points; then one
/// last runner runs until everything committed adds up to what was written. The caller reads the topic and compares.
/// </summary>
internal static class KillAndResume
{
    private static readonly TimeSpan FinalWait = TimeSpan.FromSeconds(20);

    /// <summary>What happened: records each killed runner had committed, and how many kills came while the writer was still writing.</summary>
    public sealed record Outcome(IReadOnlyList<long> CommittedPerKilledRun, int KillsWhileWriting, long CommittedByLastRun);

    /// <param name="entries">Each written whole except that its first line is cut in two writes, so readers meet partial lines.</param>
    public static async Task<Outcome> Run<TValue, TOffset>(Func<SourceConnectorRunner<TValue, TOffset>> newRunner, string file, IReadOnlyList<string> entries, int kills, int seed)
        where TValue : ISpecificRecord
    {
        var random = new Random(seed);
        var writer = Task.Run(() => Write(file, entries, new Random(seed + 1)));
        var committed = new List<long>();
        var killsWhileWriting = 0;
        for (var i = 0; i < kills; i++)
        {
            var runner = newRunner();
            runner.Start();
            await Task.Delay(random.Next(250, 700));
            killsWhileWriting += writer.IsCompleted ? 0 : 1;
            await runner.DisposeAsync();
            committed.Add(runner.CommittedRecords);
        }

        await writer;
        await using var last = newRunner();
        last.Start();
        var deadline = DateTime.UtcNow + FinalWait;
        while (committed.Sum() + last.CommittedRecords < entries.Count && DateTime.UtcNow < deadline && !last.Completion.IsCompleted)
        {
            await Task.Delay(50);
        }

        await last.StopAsync(CancellationToken.None);
        return new Outcome(committed, killsWhileWriting, last.CommittedRecords);
    }

    private static async Task Write(string file, IReadOnlyList<string> entries, Random random)
    {
        await using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        foreach (var entry in entries)
        {
            var bytes = Encoding.UTF8.GetBytes(entry + "\n");
            var firstLineEnd = Array.IndexOf(bytes, (byte)'\n');
            var cut = random.Next(1, firstLineEnd + 1);
            await stream.WriteAsync(bytes.AsMemory(0, cut));
            await stream.FlushAsync();
            await stream.WriteAsync(bytes.AsMemory(cut));
            await stream.FlushAsync();
            await Task.Delay(random.Next(0, 25));
        }
    }
}
