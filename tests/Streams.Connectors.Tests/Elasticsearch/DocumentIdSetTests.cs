using Streams.Connectors.Elasticsearch;

namespace Streams.Connectors.Tests.Elasticsearch;

/// <summary>The NDJSON target's id set against a HashSet of strings, over many ids that repeat, of every length.</summary>
[TestFixture]
public sealed class DocumentIdSetTests
{
    [Test]
    public void Adds_answer_as_a_hash_set_of_strings_answers()
    {
        var random = new Random(20261127);
        var ids = new DocumentIdSet();
        var oracle = new HashSet<string>(StringComparer.Ordinal);
        var seen = new List<string>();
        for (var i = 0; i < 200_000; i++)
        {
            string id;
            if (seen.Count > 0 && random.Next(4) == 0)
            {
                // Again, or the same text as a new string.
                id = new string(seen[random.Next(seen.Count)].AsSpan());
            }
            else
            {
                var length = random.Next(20) switch
                {
                    0 => 0,
                    1 => random.Next(16_000, 40_000),
                    _ => random.Next(1, 80),
                };
                id = string.Create(length, random, (chars, r) =>
                {
                    for (var c = 0; c < chars.Length; c++)
                    {
                        chars[c] = (char)r.Next(0x20, 0x500);
                    }
                });
                seen.Add(id);
            }

            var expected = oracle.Add(id);
            if (ids.Add(id) != expected)
            {
                Assert.Fail($"add #{i} of an id of {id.Length} characters: expected {expected}");
            }
        }

        Assert.That(ids.Count, Is.EqualTo(oracle.Count));
        Assert.That(seen.Select(id => ids.Add(id)), Is.All.False, "every id is there at the end");
    }
}
