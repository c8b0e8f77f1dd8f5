using Streams.Runtime.Processor;
using Streams.Runtime.State;

namespace Streams.Topology.Dedup;

/// <summary>
/// Drops a record whose key (the event id) was already seen within the store's retention, measured from the
/// record's timestamp either way, so shippers that resend a file after a restart do not double-count it.
/// Kept ids go to a logged window store (<see cref="DeduplicationStore"/>), so a restart restores what was seen.
/// </summary>
public sealed class DeduplicationProcessor<TValue>(string storeName, Action<string>? onDuplicate = null)
    : IProcessor<string, TValue, string, TValue>
{
    private IProcessorContext<string, TValue> _context = null!;
    private IWindowStore<string, long> _seen = null!;
    private long _windowMs;

    public void Init(IProcessorContext<string, TValue> context)
    {
        _context = context;
        _seen = context.GetStateStore<IWindowStore<string, long>>(storeName);
        _windowMs = (long)_seen.Retention.TotalMilliseconds;
    }

    public void Process(Record<string, TValue> record)
    {
        // Without an id there is nothing to compare; losing a record would be worse than a duplicate.
        if (string.IsNullOrEmpty(record.Key))
        {
            _context.Forward(record);
            return;
        }

        // The store orders timestamps as unsigned bytes, so a negative bound would empty the range;
        // Kafka timestamps are never negative anyway.
        var from = Math.Max(0, SaturatingAdd(record.Timestamp, -_windowMs));
        var to = SaturatingAdd(record.Timestamp, _windowMs);
        if (_seen.Fetch(record.Key, from, to).Any())
        {
            onDuplicate?.Invoke(record.Key);
            return;
        }

        _seen.Put(record.Key, record.Timestamp, record.Timestamp);
        _context.Forward(record);
    }

    private static long SaturatingAdd(long value, long delta)
    {
        var sum = value + delta;
        // Overflow happened when both operands share a sign the result does not.
        return ((value ^ sum) & (delta ^ sum)) < 0 ? (delta > 0 ? long.MaxValue : long.MinValue) : sum;
    }
}
