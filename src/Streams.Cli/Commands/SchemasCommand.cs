using System.CommandLine;
using Confluent.SchemaRegistry;
using Streams.Runtime.Serdes.Avro;
using AvroSchema = Avro.Schema;

namespace Streams.Cli.Commands;

/// <summary><c>streams schemas check|snapshot|register</c>: the Avro contracts against their released versions or a schema registry.</summary>
internal static class SchemasCommand
{
    public const int Ok = 0;
    public const int Failed = 1;

    public static Command Build()
    {
        var schemas = new Command("schemas", "Check the Avro schemas for BACKWARD compatibility, snapshot them as released, or register them.");
        schemas.Subcommands.Add(BuildCheck());
        schemas.Subcommands.Add(BuildSnapshot());
        schemas.Subcommands.Add(BuildRegister());
        return schemas;
    }

    private static Option<string> SchemasOption() => new("--schemas") { Description = "The schemas directory.", DefaultValueFactory = _ => "schemas" };

    private static Option<string?> CompatOption() => new("--compat") { Description = "The released schemas, one <subject>.json each (default: <schemas>/compat)." };

    private static Option<string> RegistryOption(bool required) => new("--schema-registry") { Description = "Schema registry URL (http://host:port or mock://scope).", Required = required };

    private static string CompatDirectory(ParseResult parse, Option<string?> compat, Option<string> schemas) =>
        parse.GetValue(compat) ?? Path.Combine(parse.GetValue(schemas)!, "compat");

    private static Command BuildCheck()
    {
        var schemas = SchemasOption();
        var compat = CompatOption();
        var registry = RegistryOption(required: false);
        var command = new Command("check", "Every schema parses and is BACKWARD compatible with its released version (schemas/compat) or the registry's latest.")
        {
            schemas, compat, registry,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (Load(parse.GetValue(schemas)!, error) is not { } set)
            {
                return Failed;
            }

            var url = parse.GetValue(registry);
            var released = url is null
                ? LoadCompat(CompatDirectory(parse, compat, schemas), set)
                : await LatestRegistered(url, set, cancel);
            var problems = set.BySubject
                .Where(entry => released.ContainsKey(entry.Key))
                .SelectMany(entry => SchemaCompatibility.BackwardProblems(entry.Value, released[entry.Key])
                    .Concat(SchemaCompatibility.RemovedWithoutDefault(entry.Value, released[entry.Key]))
                    .Select(problem => $"{entry.Key}: {problem}"))
                .ToList();
            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            if (problems.Count > 0)
            {
                return Failed;
            }

            output.WriteLine($"{set.BySubject.Count} subjects parse; {released.Count} BACKWARD compatible with {url ?? "the released versions"}.");
            return Ok;
        });
        return command;
    }

    private static Command BuildSnapshot()
    {
        var schemas = SchemasOption();
        var compat = CompatOption();
        var command = new Command("snapshot", "Write each subject's resolved schema to the compat directory: the versions later changes must stay compatible with.")
        {
            schemas, compat,
        };
        command.SetAction(parse =>
        {
            if (Load(parse.GetValue(schemas)!, parse.InvocationConfiguration.Error) is not { } set)
            {
                return Failed;
            }

            var directory = CompatDirectory(parse, compat, schemas);
            Directory.CreateDirectory(directory);
            foreach (var (subject, schema) in set.BySubject)
            {
                File.WriteAllText(Path.Combine(directory, subject + ".json"), schema.ToString() + "\n");
            }

            parse.InvocationConfiguration.Output.WriteLine($"{set.BySubject.Count} subjects written to {directory}.");
            return Ok;
        });
        return command;
    }

    private static Command BuildRegister()
    {
        var schemas = SchemasOption();
        var registry = RegistryOption(required: true);
        var command = new Command("register", "Register every subject (<topic>-value) with the registry; the registry refuses an incompatible one.")
        {
            schemas, registry,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (Load(parse.GetValue(schemas)!, error) is not { } set)
            {
                return Failed;
            }

            using var client = AvroSerdes.CreateRegistry(new SchemaRegistrySettings(parse.GetValue(registry)!));
            var failed = 0;
            foreach (var (subject, schema) in set.BySubject)
            {
                try
                {
                    var id = await client.RegisterSchemaAsync(subject, new Schema(schema.ToString(), SchemaType.Avro));
                    output.WriteLine($"{subject}: id {id}");
                }
                catch (SchemaRegistryException ex)
                {
                    error.WriteLine($"{subject}: refused by the registry: {ex.Message}");
                    failed++;
                }
            }

            return failed == 0 ? Ok : Failed;
        });
        return command;
    }

    private static SchemaSet? Load(string directory, TextWriter error)
    {
        if (!Directory.Exists(directory))
        {
            error.WriteLine($"{directory}: no such directory");
            return null;
        }

        var (set, problems) = SchemaSet.Load(directory);
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        return problems.Count == 0 ? set : null;
    }

    /// <summary>The released schema of each current subject that has one; a new subject has nothing to stay compatible with.</summary>
    private static Dictionary<string, AvroSchema> LoadCompat(string directory, SchemaSet set) =>
        set.BySubject.Keys
            .Where(subject => File.Exists(Path.Combine(directory, subject + ".json")))
            .ToDictionary(subject => subject, subject => AvroSchema.Parse(File.ReadAllText(Path.Combine(directory, subject + ".json"))), StringComparer.Ordinal);

    private static async Task<Dictionary<string, AvroSchema>> LatestRegistered(string url, SchemaSet set, CancellationToken cancel)
    {
        using var client = AvroSerdes.CreateRegistry(new SchemaRegistrySettings(url));
        var subjects = (await client.GetAllSubjectsAsync()).ToHashSet(StringComparer.Ordinal);
        var latest = new Dictionary<string, AvroSchema>(StringComparer.Ordinal);
        foreach (var subject in set.BySubject.Keys.Where(subjects.Contains))
        {
            cancel.ThrowIfCancellationRequested();
            latest[subject] = AvroSchema.Parse((await client.GetLatestSchemaAsync(subject)).SchemaString);
        }

        return latest;
    }
}
