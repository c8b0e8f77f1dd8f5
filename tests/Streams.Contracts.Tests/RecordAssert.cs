using System.Collections;
using Avro.Specific;

namespace Streams.Contracts.Tests;

/// <summary>Field-by-field comparison of generated records, which have no Equals of their own.</summary>
internal static class RecordAssert
{
    public static void AreEqual(ISpecificRecord expected, ISpecificRecord actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, expected.Schema.Name, differences);
        Assert.That(differences, Is.Empty, "fields that differ after the round trip");
    }

    private static void Compare(object? expected, object? actual, string path, List<string> differences)
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    differences.Add($"{path}: expected null, was {Describe(actual)}");
                }

                break;
            case ISpecificRecord record when actual is ISpecificRecord other:
                if (record.Schema.Fullname != other.Schema.Fullname)
                {
                    differences.Add($"{path}: expected a {record.Schema.Fullname}, was a {other.Schema.Fullname}");
                    break;
                }

                foreach (var field in ((Avro.RecordSchema)record.Schema).Fields)
                {
                    Compare(record.Get(field.Pos), other.Get(field.Pos), $"{path}.{field.Name}", differences);
                }

                break;
            case IDictionary dictionary when actual is IDictionary other:
                if (dictionary.Count != other.Count)
                {
                    differences.Add($"{path}: expected {dictionary.Count} entries, was {other.Count}");
                }

                foreach (DictionaryEntry entry in dictionary)
                {
                    Compare(entry.Value, other.Contains(entry.Key) ? other[entry.Key] : "<missing>", $"{path}[{entry.Key}]", differences);
                }

                break;
            case IList list when actual is IList other:
                if (list.Count != other.Count)
                {
                    differences.Add($"{path}: expected {list.Count} items, was {other.Count}");
                    break;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Compare(list[i], other[i], $"{path}[{i}]", differences);
                }

                break;
            case DateTime instant when actual is DateTime other:
                // Avro hands instants back as UTC; the instant, not the Kind, is the value.
                if (instant.ToUniversalTime() != other.ToUniversalTime())
                {
                    differences.Add($"{path}: expected {instant:O}, was {other:O}");
                }

                break;
            default:
                if (!Equals(expected, actual))
                {
                    differences.Add($"{path}: expected {Describe(expected)}, was {Describe(actual)}");
                }

                break;
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string { Length: > 80 } text => $"a {text.Length}-char string starting {text[..40]}",
        _ => $"{value} ({value.GetType().Name})",
    };
}
