using System.Collections.Concurrent;
using System.Text;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.FileSystem;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Backup;

/// <summary>
/// Turns files and folders into blobs and trees: walks a path, skips what the parent snapshot shows unchanged,
/// chunks and hashes the rest, and hands new blobs to the <see cref="BlobUploader"/>.
/// </summary>
/// <remarks>
/// A folder's tree is built after its children, so every tree holds final ids; an unchanged folder serialises to
/// the same bytes as before, gets the same id and costs nothing to store again. Files of one folder are read
/// concurrently, bounded by <see cref="BackupOptions.ReadConcurrency"/>, because each reader holds a chunk buffer.
/// </remarks>
internal sealed class Archiver : IDisposable
{
    private readonly Repository.Repository _repository;
    private readonly BlobUploader _uploader;
    private readonly BackupOptions _options;
    private readonly EntrySelection _selection;
    private readonly FastCdcChunker _chunker;
    private readonly SemaphoreSlim _readers;
    private readonly BackupStatistics _statistics;
    private readonly Action<string> _onFileDone;
    private readonly ConcurrentQueue<string> _warnings = new();

    // The start of each file (8 MiB, as far as one chunk buffer reaches) up to 64 MiB in all: a folder's worth.
    private readonly ReadAheadBudget _readAhead = new(8L << 20, 64L << 20);

    // One chunk buffer per concurrent reader, kept for the whole backup: renting per file from the shared pool would
    // round each up to a power of two and keep several alive at once. Unmanaged, so that the pages past what a file
    // needed go back to the system: a chunk longer than the read window takes a reader's buffer to its full 9 MiB, and
    // as an array it then stayed resident for the rest of the backup (docs/performance.md).
    private readonly BlobBufferPool _chunkBuffers;

    internal Archiver(Repository.Repository repository, BlobUploader uploader, BackupOptions options, BackupStatistics statistics, Action<string> onFileDone)
    {
        _repository = repository;
        _uploader = uploader;
        _options = options;
        _selection = new EntrySelection(options);
        _chunker = repository.CreateChunker();
        _readers = new SemaphoreSlim(Math.Max(1, options.ReadConcurrency));
        _chunkBuffers = new BlobBufferPool(Math.Max(1, options.ReadConcurrency));
        _statistics = statistics;
        _onFileDone = onFileDone;
    }

    /// <summary>Problems that skipped an entry without failing the backup (unreadable files, vanished folders).</summary>
    internal IReadOnlyList<string> Warnings => [.. _warnings];

    /// <summary>Builds the node for <paramref name="fullPath"/>, named <paramref name="name"/>; null when it is skipped.</summary>
    internal async Task<TreeNode?> SaveAsync(string fullPath, string name, string relativePath, TreeNode? parent, CancellationToken cancellationToken)
    {
        FileMetadata metadata;
        try
        {
            metadata = FileMetadata.Read(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Warn(relativePath, ex);
            return null;
        }

        return metadata.Kind switch
        {
            FileKind.Directory => await SaveDirectoryAsync(fullPath, name, relativePath, metadata, parent, cancellationToken).ConfigureAwait(false),
            FileKind.Regular => await SaveFileAsync(fullPath, name, relativePath, metadata, parent, cancellationToken).ConfigureAwait(false),
            FileKind.SymbolicLink => SaveSymlink(fullPath, name, relativePath, metadata),
            _ => null,
        };
    }

    /// <summary>Stores one stream as a file node, for backups of standard input.</summary>
    internal async Task<TreeNode> SaveStreamAsync(Stream stream, string name, CancellationToken cancellationToken)
    {
        var (content, hash, size) = await ChunkAsync(stream, cancellationToken).ConfigureAwait(false);
        _statistics.AddFile(size);
        _onFileDone(name);
        var now = DateTimeOffset.UtcNow;
        return new TreeNode
        {
            Name = name,
            Type = NodeType.File,
            Size = size,
            Mode = 0x1A4,
            ModifiedTime = now,
            Content = content,
            ContentHash = hash,
        };
    }

    /// <summary>Serialises, stores and remembers a tree; returns its id.</summary>
    internal async Task<string> SaveTreeAsync(Tree tree, CancellationToken cancellationToken)
    {
        var bytes = tree.Serialize();
        var id = _repository.ComputeBlobId(bytes);
        await _uploader.SaveAsync(BlobType.Tree, id, bytes, cancellationToken).ConfigureAwait(false);
        return id.ToString();
    }

    private async Task<TreeNode?> SaveDirectoryAsync(string fullPath, string name, string relativePath, FileMetadata metadata, TreeNode? parent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<string> entries;
        try
        {
            entries = [.. Directory.EnumerateFileSystemEntries(fullPath).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Warn(relativePath, ex);
            return null;
        }

        var cacheOnly = _selection.KeepsOnlyCacheTag(fullPath);
        var parentChildren = await LoadParentChildrenAsync(parent, relativePath, cancellationToken).ConfigureAwait(false);
        List<Task<TreeNode?>> children = [];
        try
        {
            foreach (var entry in entries.Order(Utf8Ordinal.Instance))
            {
                var childRelative = relativePath.Length == 0 ? entry : relativePath + "/" + entry;
                if (_selection.Excludes(childRelative, entry, cacheOnly))
                {
                    continue;
                }

                if (!EntrySelection.IsRecordable(entry))
                {
                    // The DNA listing is one line per entry, so such a name cannot be recorded verifiably (docs/design.md).
                    _warnings.Enqueue($"{childRelative.Replace("\n", "\\n", StringComparison.Ordinal)}: skipped, a name holding a line feed cannot be part of a verifiable snapshot; rename it to back it up.");
                    continue;
                }

                var childPath = Path.Combine(fullPath, entry);
                parentChildren.TryGetValue(entry, out var parentChild);

                // Folders recurse in place (their own files run concurrently); files start now and are awaited below.
                var task = SaveAsync(childPath, entry, childRelative, parentChild, cancellationToken);
                children.Add(task);
                if (task.IsCompleted || Directory.Exists(childPath))
                {
                    await task.ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Files already started use the uploader, the reader slots and the progress callback, which the caller
            // tears down once this failure reaches it; they finish first. Their own failures add nothing to this one.
            await Task.WhenAll(children.Cast<Task>()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        var nodes = (await Task.WhenAll(children).ConfigureAwait(false)).OfType<TreeNode>().ToList();
        var subtree = await SaveTreeAsync(new Tree(nodes), cancellationToken).ConfigureAwait(false);
        _statistics.AddDirectory();
        return Node(fullPath, name, NodeType.Directory, metadata) with { Subtree = subtree };
    }

    private async Task<TreeNode?> SaveFileAsync(string fullPath, string name, string relativePath, FileMetadata metadata, TreeNode? parent, CancellationToken cancellationToken)
    {
        if (_selection.IsTooLarge(metadata.Size))
        {
            return null;
        }

        if (!_options.Force && parent is { Type: NodeType.File, Content: { } parentContent } && Unchanged(metadata, parent)
            && parentContent.All(id => _repository.Index.Contains(BlobId.Parse(id), BlobType.Data)))
        {
            _statistics.AddFile(metadata.Size);
            _onFileDone(relativePath);
            return Node(fullPath, name, NodeType.File, metadata) with { Content = parentContent, ContentHash = parent.ContentHash };
        }

        // Asked for before waiting for a reader: the folder's files all start here at once, so their starts are read
        // from disk while the readers hash the files ahead of them.
        var readAhead = _readAhead.Take(metadata.Size);
        ReadAhead.Request(fullPath, readAhead);
        try
        {
            await _readers.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _readAhead.Return(readAhead);
            throw;
        }

        try
        {
            var options = new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, Options = FileOptions.SequentialScan, BufferSize = 0 };
            await using var stream = new FileStream(fullPath, options);
            var (content, hash, size) = await ChunkAsync(stream, cancellationToken).ConfigureAwait(false);
            if (size != metadata.Size)
            {
                _warnings.Enqueue($"{relativePath}: changed while it was read ({metadata.Size} bytes before, {size} read); the snapshot holds what was read.");
            }

            _statistics.AddFile(size);
            _onFileDone(relativePath);
            return Node(fullPath, name, NodeType.File, metadata) with { Size = size, Content = content, ContentHash = hash };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Warn(relativePath, ex);
            return null;
        }
        finally
        {
            _readers.Release();
            _readAhead.Return(readAhead);
        }
    }

    private async Task<(List<string> Content, string Hash, long Size)> ChunkAsync(Stream stream, CancellationToken cancellationToken)
    {
        List<string> content = [];
        using var hasher = Blake3Hasher.Create();
        var buffer = _chunkBuffers.Rent(StreamChunker.GetMinimumBufferSize(_chunker));
        var used = buffer.Length;
        long size = 0;
        try
        {
            using var chunks = new StreamChunker(stream, _chunker, buffer.Memory, leaveOpen: true);
            while (await chunks.ReadNextAsync(cancellationToken).ConfigureAwait(false))
            {
                var chunk = chunks.Current;
                hasher.Update(chunk.Span);
                var id = _repository.ComputeBlobId(chunk.Span);
                await _uploader.SaveAsync(BlobType.Data, id, chunk, cancellationToken).ConfigureAwait(false);
                content.Add(id.ToString());
                size += chunk.Length;
                _statistics.AddRead(chunk.Length);
            }

            used = chunks.BufferExtent;
        }
        finally
        {
            _chunkBuffers.Return(buffer, used);
        }

        return (content, hasher.FinalizeHex(), size);
    }

    private TreeNode? SaveSymlink(string fullPath, string name, string relativePath, FileMetadata metadata)
    {
        var target = new FileInfo(fullPath).LinkTarget;
        if (target is null)
        {
            _warnings.Enqueue($"{relativePath}: the symbolic link vanished while it was read.");
            return null;
        }

        return Node(fullPath, name, NodeType.Symlink, metadata) with { Size = Encoding.UTF8.GetByteCount(target), LinkTarget = target };
    }

    private async Task<Dictionary<string, TreeNode>> LoadParentChildrenAsync(TreeNode? parent, string relativePath, CancellationToken cancellationToken)
    {
        if (parent is not { Type: NodeType.Directory, Subtree: { } subtree })
        {
            return [];
        }

        try
        {
            var bytes = await _repository.ReadBlobAsync(BlobId.Parse(subtree), BlobType.Tree, cancellationToken).ConfigureAwait(false);
            return Tree.Parse(bytes).Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        }
        catch (ForgeException ex)
        {
            // A damaged parent only costs speed: everything below is read again.
            _warnings.Enqueue($"{relativePath}: the parent snapshot's tree could not be read ({ex.Message}); files were read again.");
            return [];
        }
    }

    private static bool Unchanged(FileMetadata current, TreeNode recorded) =>
        current.LooksUnchangedSince(new FileMetadata(
            FileKind.Regular, recorded.Size, recorded.Mode, recorded.Uid, recorded.Gid, recorded.ModifiedTime,
            recorded.ChangeTime, recorded.AccessTime, recorded.Inode, recorded.DeviceId));

    private static TreeNode Node(string fullPath, string name, NodeType type, FileMetadata metadata) => new()
    {
        Name = name,
        Type = type,
        Size = type == NodeType.File ? metadata.Size : 0,
        Mode = RecordedMode(fullPath, type, metadata),
        Uid = metadata.Uid,
        Gid = metadata.Gid,
        ModifiedTime = metadata.ModifiedTime,
        ChangeTime = metadata.ChangeTime,

        // Access time is left out on purpose: reading a file for the backup moves it, so recording it would give every
        // folder a new tree on every run and unchanged folders would no longer cost nothing.
        Inode = metadata.Inode,
        DeviceId = metadata.DeviceId,
    };

    // Windows has no modes and FileMetadata reports 0 there; record the mapping TreeNode documents instead, so that
    // 0 always means a real mode 000 and a restore applies it.
    private static int RecordedMode(string fullPath, NodeType type, FileMetadata metadata)
    {
        if (!OperatingSystem.IsWindows())
        {
            return metadata.Mode;
        }

        try
        {
            return TreeNode.WindowsMode(type, File.GetAttributes(fullPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TreeNode.WindowsMode(type, FileAttributes.Normal);
        }
    }

    public void Dispose()
    {
        _readers.Dispose();
        _chunkBuffers.Dispose();
    }

    private void Warn(string relativePath, Exception exception) =>
        _warnings.Enqueue($"{(relativePath.Length == 0 ? "." : relativePath)}: {exception.Message}");
}
