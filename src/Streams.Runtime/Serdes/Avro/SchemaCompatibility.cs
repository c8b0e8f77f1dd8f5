using Avro;

namespace Streams.Runtime.Serdes.Avro;

/// <summary>
/// Avro BACKWARD compatibility (a new reader reads what an old writer wrote), stricter than Apache.Avro's
/// <c>CanRead</c>: that accepts narrowing a union, removing an enum symbol and alias renames, which then fail at decode time.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>Why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<string> BackwardProblems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        Check(reader, writer, "", problems, new HashSet<(string, string)>());
        if (problems.Count == 0 && !reader.CanRead(writer))
        {
            problems.Add($"'{reader.Fullname}' cannot read '{writer.Fullname}' (Apache.Avro's schema resolution refuses it)");
        }

        return problems;
    }

    /// <summary>
    /// Fields the released schema has without a default that the new one drops: BACKWARD allows it, but consumers
    /// still reading with the released schema would fail on new records, so `schemas check` refuses it too.
    /// </summary>
    public static IReadOnlyList<string> RemovedWithoutDefault(Schema newer, Schema released)
    {
        var problems = new List<string>();
        Removed(newer, released, "", problems, new HashSet<(string, string)>());
        return problems;
    }

    private static void Removed(Schema newer, Schema released, string path, List<string> problems, HashSet<(string, string)> visited)
    {
        if (RecordOf(newer) is not { } now || RecordOf(released) is not { } before || now.Fullname != before.Fullname || !visited.Add((now.Fullname, path)))
        {
            return;
        }

        foreach (var field in before.Fields)
        {
            var fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            if (now.TryGetField(field.Name, out var kept))
            {
                Removed(kept.Schema, field.Schema, fieldPath, problems, visited);
            }
            else if (field.DefaultValue is null)
            {
                problems.Add($"field '{fieldPath}' was removed without a default: consumers still on the released schema cannot read new records");
            }
        }
    }

    private static RecordSchema? RecordOf(Schema schema) => schema switch
    {
        RecordSchema record => record,
        UnionSchema union => union.Schemas.OfType<RecordSchema>().FirstOrDefault(),
        _ => null,
    };

    private static void Check(Schema reader, Schema writer, string path, List<string> problems, HashSet<(string, string)> visited)
    {
        if (writer is UnionSchema writerUnion)
        {
            // Every branch the writer may have used must be readable: ["null","string"] -> string is not.
            foreach (var branch in writerUnion.Schemas)
            {
                if (Match(reader, branch) is null)
                {
                    problems.Add($"{Where(path)} changed from {Describe(writer)} to {Describe(reader)}");
                    return;
                }
            }

            foreach (var branch in writerUnion.Schemas)
            {
                Check(Match(reader, branch)!, branch, path, problems, visited);
            }

            return;
        }

        if (Match(reader, writer) is not { } target)
        {
            problems.Add($"{Where(path)} changed from {Describe(writer)} to {Describe(reader)}");
            return;
        }

        switch (target, writer)
        {
            case (RecordSchema readerRecord, RecordSchema writerRecord):
                if (visited.Add((readerRecord.Fullname, writerRecord.Fullname)))
                {
                    CheckRecord(readerRecord, writerRecord, path, problems, visited);
                }

                break;
            case (EnumSchema readerEnum, EnumSchema writerEnum):
                foreach (var symbol in writerEnum.Symbols.Where(symbol => !readerEnum.Contains(symbol)))
                {
                    problems.Add($"enum symbol '{symbol}' of '{writerEnum.Name}' removed ({Where(path)})");
                }

                break;
            case (ArraySchema readerArray, ArraySchema writerArray):
                Check(readerArray.ItemSchema, writerArray.ItemSchema, path + "[]", problems, visited);
                break;
            case (MapSchema readerMap, MapSchema writerMap):
                Check(readerMap.ValueSchema, writerMap.ValueSchema, path + "{}", problems, visited);
                break;
            case (FixedSchema readerFixed, FixedSchema writerFixed) when readerFixed.Size != writerFixed.Size:
                problems.Add($"{Where(path)} changed from fixed({writerFixed.Size}) to fixed({readerFixed.Size})");
                break;
            default:
                break;
        }
    }

    private static void CheckRecord(RecordSchema reader, RecordSchema writer, string path, List<string> problems, HashSet<(string, string)> visited)
    {
        foreach (var field in reader.Fields)
        {
            var fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            if (writer.TryGetField(field.Name, out var written))
            {
                Check(field.Schema, written.Schema, fieldPath, problems, visited);
            }
            else if (field.Aliases?.FirstOrDefault(alias => writer.TryGetField(alias, out _)) is { } alias)
            {
                // Apache.Avro's decoder resolves fields by name only, so a rename by alias loses the value.
                problems.Add($"field '{fieldPath}' renames writer field '{alias}' by alias, which the decoder does not resolve");
            }
            else if (field.DefaultValue is null)
            {
                problems.Add($"field '{fieldPath}' was added without a default (the writer does not have it)");
            }
        }
    }

    /// <summary>The reader schema (or reader union branch) that resolves a non-union writer schema, or null.</summary>
    private static Schema? Match(Schema reader, Schema writer)
    {
        if (reader is UnionSchema readerUnion)
        {
            return readerUnion.Schemas.FirstOrDefault(branch => SameKind(branch, writer))
                ?? readerUnion.Schemas.FirstOrDefault(branch => Promotes(writer.Tag, branch.Tag));
        }

        return SameKind(reader, writer) || Promotes(writer.Tag, reader.Tag) ? reader : null;
    }

    private static bool SameKind(Schema reader, Schema writer) =>
        reader.Tag == writer.Tag
        && (reader is not NamedSchema readerNamed || writer is not NamedSchema writerNamed
            || readerNamed.Fullname == writerNamed.Fullname || readerNamed.Name == writerNamed.Name);

    private static bool Promotes(Schema.Type from, Schema.Type to) => (from, to) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) or (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    private static string Where(string path) => path.Length == 0 ? "the record" : $"field '{path}'";

    private static string Describe(Schema schema) => schema switch
    {
        UnionSchema union => "[" + string.Join(",", union.Schemas.Select(Describe)) + "]",
        NamedSchema named => named.Name,
        ArraySchema array => $"array<{Describe(array.ItemSchema)}>",
        MapSchema map => $"map<{Describe(map.ValueSchema)}>",
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };
}
