namespace Streams.Hosting.Http;

/// <summary>One answer of a health endpoint: healthy or not, a one-word status, and what it was judged on.</summary>
public sealed record HealthReport(bool Healthy, string Status, IReadOnlyDictionary<string, object> Details);

/// <summary>What a service says about itself to <c>/health/live</c> (restart me if false) and <c>/health/ready</c> (send me work).</summary>
public interface IServiceHealth
{
    HealthReport Live();

    HealthReport Ready();
}
