using NUnit.Framework;
using Streams.Contracts.Curated;
using Streams.Topology.Curation;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

/// <summary>
/// A curated record's string maps (labels) are redacted whatever dictionary holds them: a sensitive key has its value
/// masked, any other value is redacted as text, and values without secrets stay the same strings.
/// </summary>
[TestFixture]
public sealed class CuratedMapRedactionTests
{
    private static IEnumerable<TestCaseData> Maps()
    {
        yield return new TestCaseData(new Dictionary<string, string>(StringComparer.Ordinal)).SetArgDisplayNames("Dictionary");
        yield return new TestCaseData(new SortedDictionary<string, string>(StringComparer.Ordinal)).SetArgDisplayNames("SortedDictionary");
    }

    [TestCaseSource(nameof(Maps))]
    public void Masks_sensitive_keys_and_secrets_in_values(IDictionary<string, string> labels)
    {
        var plain = "shop-eu-1";
        labels["origin"] = plain;
        labels["api_key"] = "abc123";
        labels["note"] = "login with password=hunter2 failed";
        var record = new ElbCurated { labels = labels };

        new CuratedRedactor(SecretRedactor.Default).Redact(record);

        Assert.Multiple(() =>
        {
            Assert.That(record.labels, Is.SameAs(labels));
            Assert.That(labels["api_key"], Is.EqualTo(SecretRedactor.Mask));
            Assert.That(labels["note"], Does.Not.Contain("hunter2").And.Contain(SecretRedactor.Mask));
            Assert.That(labels["origin"], Is.SameAs(plain));
            Assert.That(labels, Has.Count.EqualTo(3));
        });
    }
}
