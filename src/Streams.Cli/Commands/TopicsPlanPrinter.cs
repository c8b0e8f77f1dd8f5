using Streams.Runtime.Topics;

namespace Streams.Cli.Commands;

/// <summary>Writes a plan one line per change, in the style of terraform and kafka-gitops.</summary>
internal static class TopicsPlanPrinter
{
    public static void Print(TopicsPlan plan, ITopicAdmin admin, TextWriter output)
    {
        foreach (var change in plan.Changes)
        {
            output.WriteLine(change);
        }

        foreach (var refused in plan.Refused)
        {
            output.WriteLine(refused);
        }

        foreach (var note in plan.Notes)
        {
            output.WriteLine(note);
        }

        if (admin.ConfigLimitation is { } limitation)
        {
            output.WriteLine($"note: {limitation}.");
        }

        output.WriteLine((plan.IsEmpty, plan.Notes.Count > 0) switch
        {
            (true, false) => "No changes: the cluster matches the file.",
            (true, true) => "No changes found, but not everything could be compared (see above).",
            _ => $"{plan.Changes.Count} to change, {plan.Refused.Count} refused.",
        });
    }
}
