using System.Text;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Builds a DNA listing from entries added in any order, and gives its lines and its hash (docs/design.md,
/// "DNA hash"), so a DNA can be shown line by line and two listings compared where they differ.
/// </summary>
/// <remarks>
/// <para>
/// One line per entry, <c>&lt;type&gt; &lt;size&gt; &lt;hash&gt; &lt;path&gt;</c>, sorted by the UTF-8 bytes of
/// the path as <c>LC_ALL=C sort</c> does; the DNA is the BLAKE3 hash of the lines, each ending in a line feed.
/// </para>
/// <para>
/// The listing is held in memory; <see cref="DnaHash"/>'s computations stream instead. A path holding a line feed
/// cannot have a line: adding one throws <see cref="UnrepresentablePathException"/>.
/// </para>
/// </remarks>
public sealed class DnaListing : IDnaSink
{
    /// <summary>The hash written for a directory: 64 zeros.</summary>
    public static readonly string DirectoryHash = DnaLine.ZeroHash;

    private readonly Dictionary<string, string> _lines = new(StringComparer.Ordinal);

    /// <summary>How many entries were added.</summary>
    public int Count => _lines.Count;

    /// <summary>Adds one entry.</summary>
    /// <param name="type">File, directory or symbolic link.</param>
    /// <param name="relativePath">
    /// The path relative to the restore target, '/'-separated, without a leading or trailing '/'.
    /// </param>
    /// <param name="size">
    /// Files: the content length; symbolic links: the byte length of the target text; directories: 0.
    /// </param>
    /// <param name="hashHex">
    /// Files: BLAKE3 of the content; symbolic links: BLAKE3 of the target's UTF-8 bytes; directories:
    /// <see cref="DirectoryHash"/>. 64 lower-case hex digits.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="relativePath"/> or <paramref name="hashHex"/> is null.</exception>
    /// <exception cref="UnrepresentablePathException"><paramref name="relativePath"/> holds a line feed.</exception>
    /// <exception cref="ArgumentException">
    /// The path is not relative or has an empty, <c>.</c> or <c>..</c> segment or NUL; the hash is not 64 lower-case
    /// hex digits; a directory has a size or hash other than 0 and zeros; or the path was added before.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is undefined or <paramref name="size"/> negative.</exception>
    public void Add(NodeType type, string relativePath, long size, string hashHex)
    {
        DnaLine.Validate(type, relativePath, size, hashHex);
        if (!_lines.TryAdd(relativePath, DnaLine.Format(type, relativePath, size, hashHex)))
        {
            throw new ArgumentException($"\"{CanonicalJson.Truncate(relativePath)}\" was added twice.", nameof(relativePath));
        }
    }

    /// <summary>Adds a directory: size 0, hash <see cref="DirectoryHash"/>.</summary>
    /// <param name="relativePath">The path relative to the restore target, '/'-separated.</param>
    /// <exception cref="ArgumentNullException"><paramref name="relativePath"/> is null.</exception>
    /// <exception cref="UnrepresentablePathException"><paramref name="relativePath"/> holds a line feed.</exception>
    /// <exception cref="ArgumentException">The path is invalid or was added before.</exception>
    public void AddDirectory(string relativePath) => Add(NodeType.Directory, relativePath, 0, DirectoryHash);

    /// <summary>Adds a symbolic link from its target text, hashing the target's UTF-8 bytes.</summary>
    /// <param name="relativePath">The path relative to the restore target, '/'-separated.</param>
    /// <param name="linkTarget">The target exactly as <c>readlink</c> returns it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="UnrepresentablePathException"><paramref name="relativePath"/> holds a line feed.</exception>
    /// <exception cref="ArgumentException">The path is invalid or was added before.</exception>
    public void AddSymlink(string relativePath, string linkTarget)
    {
        ArgumentNullException.ThrowIfNull(linkTarget);
        var (size, hash) = HashLinkTarget(linkTarget);
        Add(NodeType.Symlink, relativePath, size, hash);
    }

    /// <summary>The lines in listing order (UTF-8 byte order of the paths), each without its line feed.</summary>
    /// <returns>A snapshot of the lines; adding more later does not change it.</returns>
    public IEnumerable<string> Lines()
    {
        var paths = _lines.Keys.ToArray();
        Array.Sort(paths, Utf8Ordinal.Instance);
        return Array.AsReadOnly(Array.ConvertAll(paths, path => _lines[path]));
    }

    /// <summary>The DNA: BLAKE3 of the lines in order, each followed by a line feed.</summary>
    /// <returns>64 lower-case hex digits.</returns>
    public string ComputeHash()
    {
        using var hasher = Blake3Hasher.Create();
        foreach (var line in Lines())
        {
            hasher.Update(Encoding.UTF8.GetBytes(line + "\n"));
        }

        Span<byte> hash = stackalloc byte[Blake3.HashSize];
        hasher.Finalize(hash);
        return ObjectNames.ToHex(hash);
    }

    void IDnaSink.Append(NodeType type, string relativePath, long size, string hashHex) =>
        Add(type, relativePath, size, hashHex);

    /// <summary>The size and hash a symbolic link's line carries: the target's UTF-8 byte length and BLAKE3.</summary>
    internal static (long Size, string Hash) HashLinkTarget(string linkTarget)
    {
        var bytes = Encoding.UTF8.GetBytes(linkTarget);
        return (bytes.Length, ObjectNames.ToHex(Blake3.Hash(bytes)));
    }
}
