using ForgeOne.Core.Crypto;
using ForgeOne.Core.FileSystem;
using ForgeOne.Core.Threading;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Computes the DNA hash of a folder on disk or of a snapshot's trees: one value that is equal exactly when the
/// two hold the same names, types, file contents and link targets (docs/design.md, "DNA hash").
/// </summary>
/// <remarks>
/// <para>
/// The DNA of a restored folder equals the snapshot's <see cref="Snapshot.DnaHash"/>, and anyone can recompute it
/// without ForgeOne or the key with <c>docs/dna.sh</c> (<c>find</c>, <c>sort</c>, <c>b3sum</c>). Metadata (modes,
/// owners, times) is not part of it.
/// </para>
/// <para>
/// Both computations walk in listing order and hash as they go (on disk, a folder's files on all cores before its lines
/// are written), so memory grows with the depth and width of the tree, not with the number of entries. A path holding a line feed throws
/// <see cref="UnrepresentablePathException"/>.
/// </para>
/// </remarks>
public static class DnaHash
{
    // Hidden and system entries count like any other; the platform's default options would skip them.
    private static readonly EnumerationOptions ListAll = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    /// <summary>Computes the DNA of a folder: every entry under <paramref name="root"/>, the root itself excluded.</summary>
    /// <param name="root">The folder; if it is a symbolic link, the link is followed (as <c>cd</c> does).</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <remarks>
    /// Symbolic links under the root are not followed: their target text is hashed. Regular files are hashed with
    /// <c>Blake3.HashFile</c>. Devices, FIFOs and sockets are skipped, as backups skip them; they are told
    /// apart on Linux (statx), while elsewhere .NET reports them as files, so run it on folders without them there.
    /// Names are taken as .NET decodes them, so a name that is not valid UTF-8 gives a DNA <c>dna.sh</c> does not.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is not a folder.</exception>
    /// <exception cref="UnrepresentablePathException">A path under the root holds a line feed.</exception>
    /// <exception cref="IOException">An entry cannot be read or vanished during the walk.</exception>
    /// <exception cref="UnauthorizedAccessException">An entry may not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static string ComputeForDirectory(string root, CancellationToken cancellationToken = default)
    {
        using var writer = new DnaWriter();
        WalkDirectory(CheckRoot(root), "", writer, cancellationToken);
        return writer.Finish();
    }

    /// <summary>Lists a folder as <see cref="ComputeForDirectory"/> hashes it, to show or compare line by line.</summary>
    /// <param name="root">The folder; if it is a symbolic link, the link is followed.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The listing; its <see cref="DnaListing.ComputeHash"/> equals <see cref="ComputeForDirectory"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> is not a folder.</exception>
    /// <exception cref="UnrepresentablePathException">A path under the root holds a line feed.</exception>
    /// <exception cref="IOException">An entry cannot be read or vanished during the walk.</exception>
    /// <exception cref="UnauthorizedAccessException">An entry may not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DnaListing ListDirectory(string root, CancellationToken cancellationToken = default)
    {
        var listing = new DnaListing();
        WalkDirectory(CheckRoot(root), "", listing, cancellationToken);
        return listing;
    }

    /// <summary>
    /// Computes the DNA of a snapshot from its trees: what <see cref="ComputeForDirectory"/> gives for a restore
    /// of it, without reading any file content.
    /// </summary>
    /// <param name="rootTreeId">The root tree id (<see cref="Snapshot.Tree"/>).</param>
    /// <param name="loadTree">Loads a tree blob by id.</param>
    /// <param name="include">
    /// For a partial restore: keeps the entries whose relative path it accepts, plus the directories above them.
    /// Null keeps everything. Subtrees are loaded to find out whether anything in them is kept, so with a filter
    /// some trees are loaded twice.
    /// </param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <remarks>
    /// Files contribute <see cref="TreeNode.Size"/> and <see cref="TreeNode.ContentHash"/>; symbolic links the byte
    /// length and BLAKE3 of <see cref="TreeNode.LinkTarget"/>'s UTF-8 bytes. Whatever <paramref name="loadTree"/>
    /// throws (a missing or damaged tree) propagates unchanged.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rootTreeId"/> or <paramref name="loadTree"/> is null.</exception>
    /// <exception cref="UnrepresentablePathException">A kept path holds a line feed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<string> ComputeForTreeAsync(
        string rootTreeId,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        Func<string, bool>? include = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootTreeId);
        ArgumentNullException.ThrowIfNull(loadTree);
        using var writer = new DnaWriter();
        await new TreeWalk(loadTree, include, writer, cancellationToken).RunAsync(rootTreeId).ConfigureAwait(false);
        return writer.Finish();
    }

    /// <summary>Lists a snapshot's trees as <see cref="ComputeForTreeAsync"/> hashes them, to show or compare line by line.</summary>
    /// <param name="rootTreeId">The root tree id (<see cref="Snapshot.Tree"/>).</param>
    /// <param name="loadTree">Loads a tree blob by id.</param>
    /// <param name="include">Keeps the entries whose relative path it accepts, plus the directories above them; null keeps everything.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The listing; its <see cref="DnaListing.ComputeHash"/> equals <see cref="ComputeForTreeAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rootTreeId"/> or <paramref name="loadTree"/> is null.</exception>
    /// <exception cref="UnrepresentablePathException">A kept path holds a line feed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<DnaListing> ListTreeAsync(
        string rootTreeId,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        Func<string, bool>? include = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rootTreeId);
        ArgumentNullException.ThrowIfNull(loadTree);
        var listing = new DnaListing();
        await new TreeWalk(loadTree, include, listing, cancellationToken).RunAsync(rootTreeId).ConfigureAwait(false);
        return listing;
    }

    private static string CheckRoot(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Directory.Exists(root)
            ? root
            : throw new DirectoryNotFoundException($"'{root}' is not a folder, so it has no DNA hash.");
    }

    // Sorting a directory's entries by name is not listing order: "a/b" sorts after "a.txt" because '/' (0x2F)
    // comes after '.' (0x2E). Every path under directory "a" starts with "a/", so the entries under it form one run
    // that sorts where the key "a/" does among its siblings' keys; sorting names and "name/" keys together gives the
    // exact order without holding the whole listing.
    private static void WalkDirectory(string directory, string prefix, IDnaSink sink, CancellationToken cancellationToken)
    {
        var keys = new List<(string Key, FileSystemInfo Info, FileKind Kind, long Size, bool Below)>();
        foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", ListAll))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (info.Name.Contains('\n', StringComparison.Ordinal))
            {
                throw new UnrepresentablePathException(prefix + info.Name);
            }

            var metadata = FileMetadata.Read(info.FullName);
            if (metadata.Kind == FileKind.Other)
            {
                continue;
            }

            keys.Add((info.Name, info, metadata.Kind, metadata.Size, false));
            if (metadata.Kind == FileKind.Directory)
            {
                keys.Add((info.Name + "/", info, metadata.Kind, 0, true));
            }
        }

        keys.Sort(static (a, b) => Utf8Ordinal.Instance.Compare(a.Key, b.Key));
        var contentHashes = HashFiles(keys, cancellationToken);
        for (var index = 0; index < keys.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (_, info, kind, size, below) = keys[index];
            var path = prefix + info.Name;
            if (below)
            {
                WalkDirectory(info.FullName, path + "/", sink, cancellationToken);
                continue;
            }

            switch (kind)
            {
                case FileKind.Directory:
                    sink.Append(NodeType.Directory, path, 0, DnaLine.ZeroHash);
                    break;
                case FileKind.SymbolicLink:
                    var target = info.LinkTarget
                        ?? throw new IOException($"'{info.FullName}' is no longer a symbolic link; the folder changed during the walk.");
                    var (targetSize, targetHash) = DnaListing.HashLinkTarget(target);
                    sink.Append(NodeType.Symlink, path, targetSize, targetHash);
                    break;
                default:
                    sink.Append(NodeType.File, path, size, contentHashes[index]!);
                    break;
            }
        }
    }

    // A folder's files are hashed side by side, one per core, before its lines are written in order: one after another,
    // the small files of a restored folder kept a core idle, and checking a 1 GiB restore's DNA took a tenth of the
    // restore (docs/performance.md). A file's own hashing is parallel too when it is large.
    private static string?[] HashFiles(List<(string Key, FileSystemInfo Info, FileKind Kind, long Size, bool Below)> keys, CancellationToken cancellationToken)
    {
        var hashes = new string?[keys.Count];
        ParallelWork.For(keys.Count, index =>
        {
            if (keys[index] is { Kind: FileKind.Regular, Below: false, Info: var info })
            {
                hashes[index] = ObjectNames.ToHex(Blake3.HashFile(info.FullName));
            }
        }, cancellationToken);
        return hashes;
    }

    /// <summary>The same walk over trees, with the partial-restore filter.</summary>
    private sealed class TreeWalk(
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        Func<string, bool>? include,
        IDnaSink sink,
        CancellationToken cancellationToken)
    {
        // Directory path -> whether anything under it is kept. Filled by probes so each subtree is probed once.
        private readonly Dictionary<string, bool> _keepsSomething = new(StringComparer.Ordinal);

        public async Task RunAsync(string rootTreeId) =>
            await WalkAsync(await LoadAsync(rootTreeId).ConfigureAwait(false), "").ConfigureAwait(false);

        private async Task WalkAsync(Tree tree, string prefix)
        {
            var keys = new List<(string Key, TreeNode Node, bool Below)>(tree.Nodes.Count);
            foreach (var node in tree.Nodes)
            {
                keys.Add((node.Name, node, false));
                if (node.Type == NodeType.Directory)
                {
                    keys.Add((node.Name + "/", node, true));
                }
            }

            keys.Sort(static (a, b) => Utf8Ordinal.Instance.Compare(a.Key, b.Key));
            foreach (var (_, node, below) in keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = prefix + node.Name;
                if (below)
                {
                    if (include is null || await KeepsSomethingAsync(node.Subtree!, path).ConfigureAwait(false))
                    {
                        await WalkAsync(await LoadAsync(node.Subtree!).ConfigureAwait(false), path + "/").ConfigureAwait(false);
                    }

                    continue;
                }

                if (include is not null && !include(path)
                    && (node.Type != NodeType.Directory || !await KeepsSomethingAsync(node.Subtree!, path).ConfigureAwait(false)))
                {
                    continue;
                }

                switch (node.Type)
                {
                    case NodeType.Directory:
                        sink.Append(NodeType.Directory, path, 0, DnaLine.ZeroHash);
                        break;
                    case NodeType.Symlink:
                        var (targetSize, targetHash) = DnaListing.HashLinkTarget(node.LinkTarget!);
                        sink.Append(NodeType.Symlink, path, targetSize, targetHash);
                        break;
                    default:
                        sink.Append(NodeType.File, path, node.Size, node.ContentHash!);
                        break;
                }
            }
        }

        // Whether the filter keeps any entry under the directory at directoryPath; stops at the first one.
        private async Task<bool> KeepsSomethingAsync(string treeId, string directoryPath)
        {
            if (_keepsSomething.TryGetValue(directoryPath, out var known))
            {
                return known;
            }

            var tree = await LoadAsync(treeId).ConfigureAwait(false);
            var prefix = directoryPath + "/";

            // Names at this level first: a hit there avoids loading any deeper tree.
            var found = tree.Nodes.Any(node => include!(prefix + node.Name));
            foreach (var node in tree.Nodes)
            {
                if (found)
                {
                    break;
                }

                if (node.Type == NodeType.Directory)
                {
                    found = await KeepsSomethingAsync(node.Subtree!, prefix + node.Name).ConfigureAwait(false);
                }
            }

            _keepsSomething[directoryPath] = found;
            return found;
        }

        private async Task<Tree> LoadAsync(string treeId)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await loadTree(treeId, cancellationToken).ConfigureAwait(false);
        }
    }
}
