namespace Streams.Runtime.Topics;

/// <summary>Carries out a plan's changes in order; refuses a plan that still has refused changes.</summary>
public static class TopicsApplier
{
    public static async Task ApplyAsync(ITopicAdmin admin, TopicsPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.Refused.Count > 0)
        {
            throw new InvalidOperationException($"the plan has {plan.Refused.Count} refused change(s); nothing was applied");
        }

        var deletes = plan.Changes.OfType<DeleteTopic>().Select(d => d.Topic)
            .Concat(plan.Changes.OfType<RecreateTopic>().Select(r => r.Topic))
            .ToList();
        if (deletes.Count > 0)
        {
            await admin.DeleteTopicsAsync(deletes, cancellationToken);
        }

        var creates = plan.Changes.OfType<CreateTopic>().Select(c => c.Spec)
            .Concat(plan.Changes.OfType<RecreateTopic>().Select(r => r.Spec))
            .ToList();
        if (creates.Count > 0)
        {
            await admin.CreateTopicsAsync(creates, cancellationToken);
        }

        foreach (var increase in plan.Changes.OfType<IncreasePartitions>())
        {
            await admin.IncreasePartitionsAsync(increase.Topic, increase.To, cancellationToken);
        }

        foreach (var topic in plan.Changes.OfType<AlterConfig>().GroupBy(c => c.Topic, StringComparer.Ordinal))
        {
            await admin.AlterConfigsAsync(topic.Key, topic.ToDictionary(c => c.Key, c => c.To, StringComparer.Ordinal), cancellationToken);
        }
    }
}
