namespace ForgeOne.Core.Backup;

/// <summary>
/// Which entries under the backed-up paths a backup takes: the exclude globs, folders tagged as caches, the size limit
/// and names a snapshot cannot record. One rule set for the walk that archives and the scan that sizes it, so the
/// progress totals count what the backup reads.
/// </summary>
internal sealed class EntrySelection
{
    /// <summary>The file that marks a cache folder (the Cache Directory Tagging Specification).</summary>
    internal const string CacheDirTag = "CACHEDIR.TAG";

    private static readonly byte[] CacheDirSignature = "Signature: 8a477f597d28d172789f06886806bc55"u8.ToArray();

    private readonly PathFilter _filter;
    private readonly bool _excludeCaches;
    private readonly long? _maxFileSize;

    /// <summary>The rules of <paramref name="options"/>.</summary>
    /// <param name="options">The backup's options.</param>
    internal EntrySelection(BackupOptions options)
    {
        _filter = new PathFilter(options.Excludes);
        _excludeCaches = options.ExcludeCaches;
        _maxFileSize = options.MaxFileSize;
    }

    /// <summary>
    /// True when only the cache tag of <paramref name="folder"/> is taken: caches are excluded and the folder holds a
    /// valid CACHEDIR.TAG.
    /// </summary>
    /// <param name="folder">A folder's full path.</param>
    internal bool KeepsOnlyCacheTag(string folder) => _excludeCaches && IsTaggedCache(folder);

    /// <summary>True when the entry named <paramref name="name"/>, at <paramref name="relativePath"/>, is left out.</summary>
    /// <param name="relativePath">The entry's path as in the snapshot: '/'-separated, starting with its root's name.</param>
    /// <param name="name">The entry's name.</param>
    /// <param name="cacheOnly">What <see cref="KeepsOnlyCacheTag"/> said of the folder holding it.</param>
    internal bool Excludes(string relativePath, string name, bool cacheOnly) =>
        _filter.IsExcluded(WithinRoot(relativePath)) || (cacheOnly && name != CacheDirTag);

    /// <summary>True when a regular file of <paramref name="size"/> bytes is over the size limit.</summary>
    /// <param name="size">The file's size.</param>
    internal bool IsTooLarge(long size) => _maxFileSize is { } limit && size > limit;

    /// <summary>
    /// False for a name holding a line feed: the DNA listing is one line per entry, so such an entry cannot be recorded
    /// verifiably (docs/design.md).
    /// </summary>
    /// <param name="name">An entry's name.</param>
    internal static bool IsRecordable(string name) => !name.Contains('\n', StringComparison.Ordinal);

    // Exclude patterns are anchored at each backed-up folder ('logs/*.gz' means <path>/logs/*.gz), while the paths
    // here start with that folder's name, as they appear in the snapshot.
    private static string WithinRoot(string relativePath)
    {
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? relativePath : relativePath[(slash + 1)..];
    }

    private static bool IsTaggedCache(string folder)
    {
        var tag = Path.Combine(folder, CacheDirTag);
        try
        {
            using var stream = File.OpenRead(tag);
            Span<byte> start = stackalloc byte[CacheDirSignature.Length];
            return stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(CacheDirSignature);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
