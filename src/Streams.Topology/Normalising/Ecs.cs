namespace Streams.Topology.Normalising;

/// <summary>ECS allowed values the normalisers use (ECS categorisation fields reference).</summary>
public static class Ecs
{
    public const string KindEvent = "event";

    public const string CategoryDatabase = "database";
    public const string CategoryWeb = "web";
    public const string CategoryNetwork = "network";
    public const string CategoryAuthentication = "authentication";
    public const string CategorySession = "session";

    public const string TypeAccess = "access";
    public const string TypeConnection = "connection";
    public const string TypeStart = "start";
    public const string TypeEnd = "end";
    public const string TypeError = "error";
    public const string TypeInfo = "info";
    public const string TypeDenied = "denied";

    public const string OutcomeSuccess = "success";
    public const string OutcomeFailure = "failure";
    public const string OutcomeUnknown = "unknown";
}
