using Avro.Specific;
using Streams.Connectors.Framework;

namespace Streams.Connectors.Tests.Files;

/// <summary>Polls a source task directly, without Kafka.</summary>
internal static class TaskPolling
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<List<SourceRecord<TValue, TOffset>>> Until<TValue, TOffset>(ISourceTask<TValue, TOffset> task, int count)
        where TValue : ISpecificRecord
    {
        var records = new List<SourceRecord<TValue, TOffset>>();
        await Eventually.Until(async () => { records.AddRange(await task.PollAsync(100, CancellationToken.None)); return records.Count; }, n => n >= count, Wait, $"{count} records");
        return records;
    }

    /// <summary>What the task has to give within <paramref name="quiet"/>: used to show that nothing more comes.</summary>
    public static async Task<List<SourceRecord<TValue, TOffset>>> For<TValue, TOffset>(ISourceTask<TValue, TOffset> task, TimeSpan quiet)
        where TValue : ISpecificRecord
    {
        var records = new List<SourceRecord<TValue, TOffset>>();
        var end = DateTime.UtcNow + quiet;
        while (DateTime.UtcNow < end)
        {
            records.AddRange(await task.PollAsync(100, CancellationToken.None));
            await Task.Delay(20);
        }

        return records;
    }
}
