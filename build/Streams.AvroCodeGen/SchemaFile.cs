using System.Text.Json;

namespace Streams.AvroCodeGen;

/// <summary>One .avsc file with the named types it defines and the names it uses from elsewhere.</summary>
internal sealed class SchemaFile
{
    private static readonly HashSet<string> NotReferences = new(StringComparer.Ordinal)
    {
        "null", "boolean", "int", "long", "float", "double", "bytes", "string",
        "record", "error", "enum", "fixed", "array", "map",
    };

    private SchemaFile(string path, string json)
    {
        Path = path;
        Json = json;
    }

    public string Path { get; }

    public string Json { get; }

    public HashSet<string> Defines { get; } = new(StringComparer.Ordinal);

    public HashSet<string> References { get; } = new(StringComparer.Ordinal);

    public static SchemaFile Load(string path)
    {
        var file = new SchemaFile(path, File.ReadAllText(path));
        try
        {
            using var document = JsonDocument.Parse(file.Json);
            file.VisitType(document.RootElement, enclosingNamespace: null);
        }
        catch (JsonException ex)
        {
            throw new SchemaFileException(path, $"not valid JSON: {ex.Message}", ex);
        }

        file.References.ExceptWith(file.Defines);
        return file;
    }

    /// <summary>
    /// Orders files so that each comes after the files defining the names it references:
    /// Avro parses a schema against the names parsed before it, never after.
    /// </summary>
    public static List<SchemaFile> InDependencyOrder(IReadOnlyList<SchemaFile> files)
    {
        var definedIn = new Dictionary<string, SchemaFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var name in file.Defines)
            {
                if (!definedIn.TryAdd(name, file))
                {
                    throw new SchemaFileException(file.Path, $"type {name} is already defined in {definedIn[name].Path}");
                }
            }
        }

        var ordered = new List<SchemaFile>(files.Count);
        var done = new HashSet<SchemaFile>();
        var inProgress = new HashSet<SchemaFile>();

        void Visit(SchemaFile file)
        {
            if (done.Contains(file))
            {
                return;
            }

            if (!inProgress.Add(file))
            {
                throw new SchemaFileException(file.Path, "schema files reference each other in a cycle");
            }

            // Names defined nowhere are left for Avro's parser to report as undefined.
            foreach (var name in file.References.Order(StringComparer.Ordinal))
            {
                if (definedIn.TryGetValue(name, out var dependency))
                {
                    Visit(dependency);
                }
            }

            inProgress.Remove(file);
            done.Add(file);
            ordered.Add(file);
        }

        foreach (var file in files)
        {
            Visit(file);
        }

        return ordered;
    }

    private void VisitType(JsonElement type, string? enclosingNamespace)
    {
        switch (type.ValueKind)
        {
            case JsonValueKind.String:
                AddReference(type.GetString()!, enclosingNamespace);
                break;
            case JsonValueKind.Array:
                foreach (var branch in type.EnumerateArray())
                {
                    VisitType(branch, enclosingNamespace);
                }

                break;
            case JsonValueKind.Object:
                VisitTypeObject(type, enclosingNamespace);
                break;
        }
    }

    private void VisitTypeObject(JsonElement type, string? enclosingNamespace)
    {
        var ns = enclosingNamespace;
        if (type.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            var fullName = FullName(name.GetString()!, ExplicitNamespace(type) ?? enclosingNamespace);
            Defines.Add(fullName);
            var lastDot = fullName.LastIndexOf('.');
            ns = lastDot < 0 ? null : fullName[..lastDot];
        }

        if (type.TryGetProperty("type", out var inner))
        {
            VisitType(inner, ns);
        }

        foreach (var property in new[] { "items", "values" })
        {
            if (type.TryGetProperty(property, out var element))
            {
                VisitType(element, ns);
            }
        }

        if (type.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in fields.EnumerateArray())
            {
                if (field.TryGetProperty("type", out var fieldType))
                {
                    VisitType(fieldType, ns);
                }
            }
        }
    }

    private void AddReference(string name, string? enclosingNamespace)
    {
        if (!NotReferences.Contains(name))
        {
            References.Add(FullName(name, enclosingNamespace));
        }
    }

    private static string? ExplicitNamespace(JsonElement type) =>
        type.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String ? ns.GetString() : null;

    private static string FullName(string name, string? ns) =>
        name.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(ns) ? name : $"{ns}.{name}";
}
