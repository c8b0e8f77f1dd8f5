using System.Reflection;
using Avro;
using Streams.AvroCodeGen;

namespace Streams.Contracts.Tests;

/// <summary>The .avsc files of the repository, parsed the way the build-time generator parses them.</summary>
internal static class SchemaFiles
{
    public static string Directory { get; } =
        typeof(SchemaFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "SchemaDirectory").Value!;

    public static IReadOnlyList<string> Paths { get; } =
        System.IO.Directory.GetFiles(Directory, "*.avsc", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every file parsed against one shared name table, keyed by path relative to schemas/.</summary>
    public static IReadOnlyDictionary<string, Schema> ParseAll()
    {
        var names = new SchemaNames();
        var parsed = new Dictionary<string, Schema>(StringComparer.Ordinal);
        foreach (var file in SchemaFile.InDependencyOrder(Paths.Select(SchemaFile.Load).ToList()))
        {
            parsed[Relative(file.Path)] = Schema.Parse(file.Json, names, null);
        }

        return parsed;
    }

    public static string Relative(string path) => Path.GetRelativePath(Directory, path).Replace('\\', '/');
}
