namespace Streams.AvroCodeGen;

/// <summary>A schema file that cannot be turned into code, with the file to point the build error at.</summary>
internal sealed class SchemaFileException(string path, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string Path { get; } = path;
}
