using System.Text;

namespace Streams.Topology.Tests.Elb;

/// <summary>
/// Deterministic damage for robustness tests (no property-testing library in the project):
/// truncation, flipped characters and bytes, stray quotes, spaces, backslashes and brackets.
/// </summary>
internal static class LineMutator
{
    private const string Troublemakers = "\" \\{}[]:,-\t\0\r";

    public static IEnumerable<string> Mutations(string line, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder(line);
            var damage = random.Next(1, 4);
            for (var d = 0; d < damage && text.Length > 0; d++)
            {
                Damage(text, random);
            }

            yield return text.ToString();
        }
    }

    /// <summary>UTF-8 bytes of the line with random bytes overwritten, which often makes them invalid UTF-8.</summary>
    public static IEnumerable<byte[]> ByteMutations(string line, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips && bytes.Length > 0; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            yield return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length + 1)] : bytes;
        }
    }

    private static void Damage(StringBuilder text, Random random)
    {
        var at = random.Next(text.Length);
        switch (random.Next(7))
        {
            case 0:
                text.Length = at;
                break;
            case 1:
                text[at] = (char)random.Next(0x10000);
                break;
            case 2:
                text.Insert(at, Troublemakers[random.Next(Troublemakers.Length)]);
                break;
            case 3:
                text.Insert(at, '"');
                break;
            case 4:
                text.Insert(at, ' ');
                break;
            case 5:
                text.Remove(at, random.Next(1, Math.Min(40, text.Length - at) + 1));
                break;
            default:
                var length = random.Next(1, Math.Min(40, text.Length - at) + 1);
                text.Insert(at, text.ToString(at, length));
                break;
        }
    }
}
