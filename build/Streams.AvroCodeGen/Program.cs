using Streams.AvroCodeGen;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Streams.AvroCodeGen <schema-directory> <output-directory>");
    return 2;
}

try
{
    var written = SchemaCodeGenerator.Generate(args[0], args[1]);
    Console.WriteLine($"Streams.AvroCodeGen: {written} types generated from {Path.GetFullPath(args[0])} into {Path.GetFullPath(args[1])}");
    return 0;
}
catch (SchemaFileException ex)
{
    // MSBuild's Exec turns canonical "origin: error CODE: text" lines into build errors pointing at the schema file.
    Console.Error.WriteLine($"{ex.Path}: error AVROGEN: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is Avro.AvroException or InvalidDataException or IOException)
{
    Console.Error.WriteLine($"error AVROGEN: {ex.Message}");
    return 1;
}
