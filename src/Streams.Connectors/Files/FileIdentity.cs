using System.Globalization;
using System.Runtime.InteropServices;

namespace Streams.Connectors.Files;

/// <summary>(device, inode) of a file: it survives a rename by log rotation, and a new file at the same name gets a new one.</summary>
public readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    // struct stat on x86_64 and aarch64 glibc: st_dev at 0 and st_ino at 8, both 64-bit; the whole is under 256 bytes.
    private const int StatBufferSize = 256;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Device}:{Inode}");

    /// <summary>The identity of the file at <paramref name="path"/>, or null when there is none (yet, or any more).</summary>
    public static unsafe FileIdentity? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("file identities are read with stat(2) on Linux only");
        }

        var buffer = stackalloc byte[StatBufferSize];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        return new FileIdentity(*(ulong*)buffer, *(ulong*)(buffer + 8));
    }

    // glibc 2.33 and later export stat itself (before, only __xstat).
    [LibraryImport("libc.so.6", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Stat(string path, byte* buffer);
}
