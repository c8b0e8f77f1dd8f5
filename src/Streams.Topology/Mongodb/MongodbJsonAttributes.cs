using System.Text.Json;

namespace Streams.Topology.Mongodb;

/// <summary>Lifts the well-known attributes out of a JSON entry's <c>attr</c> object in one pass.</summary>
internal static class MongodbJsonAttributes
{
    public static void Read(JsonElement attr, ref MongodbWellKnownFields known)
    {
        string? ns = null, namespaceAttr = null, db = null, commandDb = null, authenticationDb = null;
        string? appName = null, clientAppName = null, user = null, principal = null;

        foreach (var property in attr.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "remote": known.Remote = Text(value); break;
                case "durationMillis": known.DurationMillis = Milliseconds(value); break;
                case "ns": ns = Text(value); break;
                case "namespace": namespaceAttr = Text(value); break;
                case "planSummary": known.PlanSummary = Text(value); break;
                case "appName": appName = Text(value); break;
                case "db": db = Text(value); break;
                case "authenticationDatabase": authenticationDb = Text(value); break;
                case "principalName": principal = Text(value); break;
                case "user":
                    // Either "name" or {"user": "name", "db": "admin"}.
                    user = value.ValueKind == JsonValueKind.Object ? Child(value, "user") : Text(value);
                    db ??= value.ValueKind == JsonValueKind.Object ? Child(value, "db") : null;
                    break;
                case "command":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        known.CommandName = FirstPropertyName(value);
                        commandDb = Child(value, "$db");
                    }

                    break;
                case "doc":
                    // "client metadata" entries carry the driver handshake: doc.application.name.
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("application", out var application)
                        && application.ValueKind == JsonValueKind.Object)
                    {
                        clientAppName = Child(application, "name");
                    }

                    break;
            }
        }

        known.Namespace = ns ?? namespaceAttr;
        known.AppName = appName ?? clientAppName;
        known.User = user ?? principal;
        known.Database = db ?? commandDb ?? MongodbWellKnownFields.DatabaseOf(known.Namespace) ?? authenticationDb;
    }

    private static string? Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Child(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var child) ? Text(child) : null;

    private static string? FirstPropertyName(JsonElement command)
    {
        foreach (var property in command.EnumerateObject())
        {
            return property.Name;
        }

        return null;
    }

    private static long? Milliseconds(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out var whole))
        {
            return whole;
        }

        return value.TryGetDouble(out var fractional) && Math.Abs(fractional) < long.MaxValue
            ? (long)Math.Round(fractional)
            : null;
    }
}
