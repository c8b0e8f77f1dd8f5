using Avro;

namespace Streams.AvroCodeGen;

/// <summary>Parses every .avsc under a directory against one shared name table and writes one C# file per Avro type.</summary>
internal static class SchemaCodeGenerator
{
    public static int Generate(string schemaDirectory, string outputDirectory)
    {
        var paths = Directory.GetFiles(schemaDirectory, "*.avsc", SearchOption.AllDirectories);
        Array.Sort(paths, StringComparer.Ordinal);
        if (paths.Length == 0)
        {
            throw new InvalidDataException($"no .avsc file under {schemaDirectory}");
        }

        // One SchemaNames for all files lets a schema use a type defined in another file by its full name.
        var names = new SchemaNames();
        var codeGen = new CodeGen();
        foreach (var file in SchemaFile.InDependencyOrder(paths.Select(SchemaFile.Load).ToList()))
        {
            Schema schema;
            try
            {
                schema = Schema.Parse(file.Json, names, null);
            }
            catch (AvroException ex)
            {
                throw new SchemaFileException(file.Path, ex.Message, ex);
            }

            codeGen.AddSchema(schema);
        }

        // CodeGen keys its output by simple name, so a second type with the same simple name would silently replace the first.
        var fullNameBySimpleName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var schemaName in names.Names.Keys)
        {
            if (!fullNameBySimpleName.TryAdd(schemaName.Name, schemaName.Fullname))
            {
                throw new InvalidDataException(
                    $"types {fullNameBySimpleName[schemaName.Name]} and {schemaName.Fullname} share the simple name {schemaName.Name}; give one another name");
            }
        }

        codeGen.GenerateCode();
        var types = codeGen.GetTypes();

        Directory.CreateDirectory(outputDirectory);
        foreach (var stale in Directory.GetFiles(outputDirectory, "*.cs"))
        {
            File.Delete(stale);
        }

        foreach (var (simpleName, code) in types)
        {
            File.WriteAllText(Path.Combine(outputDirectory, fullNameBySimpleName[simpleName] + ".cs"), code);
        }

        return types.Count;
    }
}
