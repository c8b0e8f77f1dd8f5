using System.Globalization;
using System.Text.Json;

namespace Streams.Runtime.Internals;

/// <summary>
/// The consumer group as the main consumer sees it, from librdkafka's statistics (the <c>cgrp</c> object): its
/// state, where it is in a join, how many rebalances it went through and why the last one started. A thread that
/// polls but gets no partitions shows here whether it waits for a join, a sync or the coordinator.
/// </summary>
internal static class GroupState
{
    /// <summary>The group's line of a thread's description, or null when the statistics hold no group.</summary>
    public static string? Describe(string statisticsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(statisticsJson);
            if (!document.RootElement.TryGetProperty("cgrp", out var group) || group.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var state = Text(group, "state");
            var join = Text(group, "join_state");
            var rebalances = Number(group, "rebalance_cnt");
            var reason = Text(group, "rebalance_reason");
            var sinceRebalance = Number(group, "rebalance_age");
            var assigned = Number(group, "assignment_size");
            return string.Create(
                CultureInfo.InvariantCulture,
                $"group {state}/{join}, {assigned} assigned, {rebalances} rebalances, the last {sinceRebalance / 1000.0:0.0}s ago ({(reason.Length > 0 ? reason : "no reason given")})");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Text(JsonElement group, string name) =>
        group.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : "?";

    private static long Number(JsonElement group, string name) =>
        group.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : -1;
}
