using System.CommandLine;
using Confluent.Kafka;
using Streams.Runtime.Embedded;
using Streams.Runtime.Topics;

namespace Streams.Cli.Commands;

/// <summary>
/// <c>streams topics plan</c> prints what would change; <c>streams topics apply</c> changes it, then prints what is left.
/// Exit 0 when done, 1 when the file is invalid or the cluster fails, 2 when changes were refused (nothing is applied then).
/// </summary>
internal static class TopicsPlanCommand
{
    public static Command Build(bool apply)
    {
        var file = TopicsCommand.FileOption();
        var bootstrap = new Option<string?>("--bootstrap-servers", "-b") { Description = "The Kafka cluster, host:port[,host:port…]." };
        var embedded = new Option<bool>("--embedded")
        {
            Description = "Use a fresh in-process cluster (librdkafka's mock brokers) instead, for a quick local check.",
        };
        var allowDestructive = new Option<bool>("--allow-destructive")
        {
            Description = "Permit deleting undeclared topics and recreating topics whose partitions or replication factor shrink; their data is lost.",
        };
        var timeout = new Option<int>("--request-timeout-ms")
        {
            Description = "How long each admin request to the cluster may take.",
            DefaultValueFactory = _ => 30_000,
        };
        var command = apply
            ? new Command("apply", "Create and change topics so that the cluster matches topics.yaml.")
            : new Command("plan", "Show what apply would create, change or refuse.");
        command.Options.Add(file);
        command.Options.Add(bootstrap);
        command.Options.Add(embedded);
        command.Options.Add(allowDestructive);
        command.Options.Add(timeout);
        command.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValue(bootstrap)) == !result.GetValue(embedded))
            {
                result.AddError("give exactly one of --bootstrap-servers or --embedded");
            }
        });
        command.SetAction((result, cancellationToken) => RunAsync(
            new Request(result.GetValue(file)!, result.GetValue(bootstrap), result.GetValue(allowDestructive), apply, TimeSpan.FromMilliseconds(result.GetValue(timeout))),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private sealed record Request(string File, string? BootstrapServers, bool AllowDestructive, bool Apply, TimeSpan RequestTimeout);

    private static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (TopicsValidateCommand.Load(request.File, error) is not { } topics)
        {
            return TopicsCommand.Failed;
        }

        EmbeddedKafkaCluster? cluster = null;
        try
        {
            cluster = request.BootstrapServers is null ? EmbeddedKafkaCluster.Start() : null;
            using ITopicAdmin admin = cluster is null ? new KafkaTopicAdmin(request.BootstrapServers!, requestTimeout: request.RequestTimeout) : new EmbeddedTopicAdmin(cluster);
            var where = cluster is null ? request.BootstrapServers : $"the embedded cluster at {cluster.BootstrapServers}";
            var plan = TopicsPlan.Create(topics.Topics, await admin.DescribeTopicsAsync(cancellationToken), request.AllowDestructive);
            output.WriteLine($"Plan for {topics.Topics.Count} topics in {topics.FileName} against {where}:");
            TopicsPlanPrinter.Print(plan, admin, output);
            if (plan.Refused.Count > 0)
            {
                error.WriteLine($"{plan.Refused.Count} change(s) refused{(request.Apply ? "; nothing was applied" : string.Empty)}.");
                return TopicsCommand.Refused;
            }

            if (!request.Apply)
            {
                return TopicsCommand.Ok;
            }

            await TopicsApplier.ApplyAsync(admin, plan, cancellationToken);
            output.WriteLine($"Applied {plan.Changes.Count} change(s). Plan after applying:");
            TopicsPlanPrinter.Print(TopicsPlan.Create(topics.Topics, await admin.DescribeTopicsAsync(cancellationToken), request.AllowDestructive), admin, output);
            return TopicsCommand.Ok;
        }
        catch (Exception e) when (e is KafkaException or NotSupportedException)
        {
            error.WriteLine($"error: {e.Message} (cluster: {request.BootstrapServers ?? "embedded"})");
            return TopicsCommand.Failed;
        }
        finally
        {
            cluster?.Dispose();
        }
    }
}
