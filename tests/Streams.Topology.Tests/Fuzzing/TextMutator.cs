using System.Text;

namespace Streams.Topology.Tests.Fuzzing;

/// <summary>
/// Deterministic damage to real log text: the kinds of corruption a parser meets in the wild
/// (truncation, lost or doubled bytes, stray delimiters, control and non-ASCII characters).
/// </summary>
internal static class TextMutator
{
    private const string Alphabet = "0123456789 \t\n\r[]{}()\"'\\:;#@.,-+TZ`é€\0\uD800\uFFFF";

    public static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        var rounds = random.Next(1, 5);
        for (var i = 0; i < rounds; i++)
        {
            MutateOnce(builder, random);
        }

        return builder.ToString();
    }

    private static void MutateOnce(StringBuilder text, Random random)
    {
        var at = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(7))
        {
            case 0 when text.Length > 0:
                text.Remove(at, random.Next(1, Math.Min(12, text.Length - at) + 1));
                break;
            case 1:
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                }

                break;
            case 2 when text.Length > 0:
                text.Length = at;
                break;
            case 3 when text.Length > 0:
                var length = random.Next(1, Math.Min(40, text.Length - at) + 1);
                text.Insert(at, text.ToString(at, length));
                break;
            case 4 when text.Length > 1:
                var other = random.Next(text.Length);
                (text[at], text[other]) = (text[other], text[at]);
                break;
            case 5 when text.Length > 0 && char.IsAsciiDigit(text[at]):
                text[at] = (char)('0' + random.Next(10));
                break;
            default:
                text.Insert(at, new string(Alphabet[random.Next(Alphabet.Length)], random.Next(1, 300)));
                break;
        }
    }
}
