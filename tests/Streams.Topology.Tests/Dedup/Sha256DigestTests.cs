using System.Security.Cryptography;
using NUnit.Framework;
using Streams.Topology.Dedup;

namespace Streams.Topology.Tests.Dedup;

[TestFixture]
public sealed class Sha256DigestTests
{
    [Test]
    public void On_linux_the_hash_is_openssl_s()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("libcrypto.so.3 is the Linux library");
        }

        Assert.That(Sha256Digest.UsesOpenSsl, Is.True, "libcrypto.so.3's SHA256_Init/Update/Final were not found or gave a wrong answer");
    }

    [Test]
    public void Both_paths_give_dotnet_s_sha256_at_every_length_across_block_boundaries()
    {
        var random = new Random(20261127);
        var data = new byte[2100];
        random.NextBytes(data);
        Span<byte> fast = stackalloc byte[Sha256Digest.HashSize];
        Span<byte> managed = stackalloc byte[Sha256Digest.HashSize];
        for (var length = 0; length <= data.Length; length += length < 200 ? 1 : 37)
        {
            var input = data.AsSpan(0, length);
            var expected = SHA256.HashData(input);
            Sha256Digest.Hash(input, fast);
            Sha256Digest.HashManaged(input, managed);
            Assert.That(fast.ToArray(), Is.EqualTo(expected), $"length {length}");
            Assert.That(managed.ToArray(), Is.EqualTo(expected), $"length {length}, managed");
        }
    }

    [Test]
    public void An_empty_input_and_a_short_hash_buffer()
    {
        var hash = new byte[Sha256Digest.HashSize];
        Sha256Digest.Hash([], hash);
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
            Assert.That(() => Sha256Digest.Hash([1], new byte[31]), Throws.ArgumentException);
        });
    }
}
