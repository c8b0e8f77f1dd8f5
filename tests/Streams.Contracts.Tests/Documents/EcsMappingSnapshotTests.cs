using Avro;
using Streams.Contracts.Documents;

namespace Streams.Contracts.Tests.Documents;

/// <summary>
/// The generated mappings, byte for byte, against the files in Documents/Mappings: a schema or type-rule change
/// shows up as a reviewable diff of what Elasticsearch will be told. After an intended change, run the tests
/// once with STREAMS_UPDATE_SNAPSHOTS=1 to rewrite the files, and review the diff.
/// </summary>
public sealed class EcsMappingSnapshotTests
{
    private static readonly string SnapshotDirectory =
        Path.GetFullPath(Path.Combine(SchemaFiles.Directory, "..", "tests", "Streams.Contracts.Tests", "Documents", "Mappings"));

    private static IEnumerable<TestCaseData> Sources() =>
        SchemaCatalog.Sources.Select(contract => new TestCaseData(contract.Source).SetArgDisplayNames(contract.Source));

    [TestCaseSource(nameof(Sources))]
    public void Generated_mapping_matches_its_reviewed_snapshot(string source)
    {
        var generated = EcsMappingGenerator.Generate((RecordSchema)SchemaCatalog.CuratedSchema(source)) + "\n";
        var path = Path.Combine(SnapshotDirectory, $"{source}.json");
        if (Environment.GetEnvironmentVariable("STREAMS_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(SnapshotDirectory);
            File.WriteAllText(path, generated);
        }

        Assert.That(generated, Is.EqualTo(File.ReadAllText(path)), $"{path} differs; see {nameof(EcsMappingSnapshotTests)} to regenerate");
    }
}
