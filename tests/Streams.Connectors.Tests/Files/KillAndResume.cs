using System.Text;
using Avro.Specific;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Tests.Files;

/// <summary>
/// The exactly-once proof for a file connector: a writer appends entries to a log file for as long as connector
/// runners are being started and killed (disposed without a stop, so what was read but not committed is lost), each
/// at a random point after it has committed something; then one last runner runs until everything committed adds up
/// to what was written. The caller reads the topic and compares it with <see cref="Outcome.Written"/>.
/// </summary>
internal static class KillAndResume
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>What was written, and the records each killed runner had committed.</summary>
    public sealed record Outcome(IReadOnlyList<string> Written, IReadOnlyList<long> CommittedPerKilledRun);

    /// <param name="entry">Entry number i; each is written whole except that its first line is cut in two writes, so readers meet partial lines.</param>
    public static async Task<Outcome> Run<TValue, TOffset>(Func<SourceConnectorRunner<TValue, TOffset>> newRunner, string file, Func<int, string> entry, int kills, int seed)
        where TValue : ISpecificRecord
    {
        var random = new Random(seed);
        var written = new List<string>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(() => Write(file, entry, written, new Random(seed + 1), stopWriting.Token));
        var committed = new List<long>();
        for (var i = 0; i < kills; i++)
        {
            var runner = newRunner();
            runner.Start();
            await Eventually.Until(() => runner.CommittedRecords > 0 || runner.Completion.IsCompleted, Wait, "a first transaction of run " + i);
            await Task.Delay(random.Next(0, 400));
            await runner.DisposeAsync();
            committed.Add(runner.CommittedRecords);
            Assert.That(writer.IsCompleted, Is.False, "the writer keeps writing through every kill");
        }

        await stopWriting.CancelAsync();
        await writer;
        await using var last = newRunner();
        last.Start();
        await Eventually.Until(() => committed.Sum() + last.CommittedRecords >= written.Count || last.Completion.IsCompleted, Wait, "the last run to catch up");
        await last.StopAsync(CancellationToken.None);
        return new Outcome(written, committed);
    }

    private static async Task Write(string file, Func<int, string> entry, List<string> written, Random random, CancellationToken stop)
    {
        await using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        while (!stop.IsCancellationRequested)
        {
            var text = entry(written.Count);
            var bytes = Encoding.UTF8.GetBytes(text + "\n");
            var firstLineEnd = Array.IndexOf(bytes, (byte)'\n');
            var cut = random.Next(1, firstLineEnd + 1);
            await stream.WriteAsync(bytes.AsMemory(0, cut), CancellationToken.None);
            await stream.FlushAsync(CancellationToken.None);
            await stream.WriteAsync(bytes.AsMemory(cut), CancellationToken.None);
            await stream.FlushAsync(CancellationToken.None);
            written.Add(text);
            await Task.Delay(random.Next(0, 25), CancellationToken.None);
        }
    }
}
