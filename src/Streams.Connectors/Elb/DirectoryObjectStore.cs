using System.Runtime.CompilerServices;

namespace Streams.Connectors.Elb;

/// <summary>
/// A local directory read as a bucket: a key is the path below the directory with '/' separators. Files are expected
/// to appear whole (written elsewhere, then renamed into place, as <c>aws s3 sync</c> does).
/// </summary>
public sealed class DirectoryObjectStore : IObjectStore
{
    private readonly string _root;

    public DirectoryObjectStore(string directory, string? host = null)
    {
        _root = Path.GetFullPath(directory);
        Origin = (host ?? Environment.MachineName) + ":" + _root;
    }

    public string Origin { get; }

    public string Container => _root;

    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        var directory = Path.Combine(_root, prefix);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var name in Directory.EnumerateDirectories(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return prefix + name + "/";
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, string? startAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        var folder = prefix[..(prefix.LastIndexOf('/') + 1)];
        var directory = Path.Combine(_root, folder);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        var keys = Directory.EnumerateFiles(directory, "*", options)
            .Select(path => Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && (startAfter is null || string.CompareOrdinal(key, startAfter) > 0))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(Path.Combine(_root, key));
            if (info.Exists)
            {
                yield return new StoredObject(key, info.Length);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(Path.Combine(_root, key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public void Dispose()
    {
    }
}
