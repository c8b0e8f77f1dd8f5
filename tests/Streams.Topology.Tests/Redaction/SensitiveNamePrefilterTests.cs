using NUnit.Framework;
using Streams.Topology.Redaction;

namespace Streams.Topology.Tests.Redaction;

/// <summary>
/// The vectorised pre-test (<see cref="SensitiveNames.MayOccurIn"/>) against its definition: drop the separators
/// "-_. []", lower-case char by char, and look for each normalised sensitive name in turn.
/// </summary>
[TestFixture]
public sealed class SensitiveNamePrefilterTests
{
    private static readonly string[] Pieces =
    [
        "pass", "word", "PASS", "Word", "_", "-", ".", " ", "[", "]", "tok", "en", "api", "KEY", "secret", "sig", "nature",
        "user", "x", "Ü", "ß", "é", "😀", "\u212A", "İ", "ı", "\u017F", "=", ":", "\"", "{", "}", "pwd", "passwd", "0",
    ];

    [Test]
    public void Agrees_with_its_definition_on_random_text([Values(1, 2, 3)] int seed)
    {
        var names = new SensitiveNames(RedactionOptions.DefaultSensitiveNames);
        var terms = RedactionOptions.DefaultSensitiveNames.Select(Reference).Where(t => t.Length > 0).Distinct().ToList();
        var random = new Random(seed);
        var found = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var expected = terms.Any(t => Reference(text).Contains(t, StringComparison.Ordinal));
            found += expected ? 1 : 0;
            Assert.That(names.MayOccurIn(text), Is.EqualTo(expected), text);
        }

        Assert.That(found, Is.GreaterThan(100), "the random texts hold sensitive names often enough to test both answers");
    }

    [TestCase("Pass_Word=1", true)]
    [TestCase("a P.A.S.S.W.O.R.D b", true)]
    [TestCase("user[api key]", true)]
    [TestCase("passw\u00F6rd", false)]
    [TestCase("", false)]
    public void Separators_and_case_are_ignored(string text, bool expected) =>
        Assert.That(new SensitiveNames(RedactionOptions.DefaultSensitiveNames).MayOccurIn(text), Is.EqualTo(expected));

    private static string Reference(string text) =>
        string.Concat(text.Where(c => c is not ('-' or '_' or '.' or ' ' or '[' or ']')).Select(char.ToLowerInvariant));
}
