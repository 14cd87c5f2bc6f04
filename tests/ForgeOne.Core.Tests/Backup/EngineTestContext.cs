using System.Text;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Tests.Repository;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Backup;

/// <summary>
/// A real repository on a local backend plus a source folder to back up, for the backup, restore and check engines.
/// </summary>
/// <remarks>
/// The folder backed up is <see cref="Source"/> (<c>…/source/data</c>); a snapshot of it holds one top-level entry,
/// <c>data</c>, so the snapshot's DNA is the DNA of <see cref="SourceParent"/>, and a restore into an empty folder
/// gives a folder with the same DNA.
/// </remarks>
internal sealed class EngineTestContext : IAsyncDisposable
{
    private readonly RepositoryTestContext _context;
    private int _targets;

    private EngineTestContext(RepositoryTestContext context, ForgeRepository repository)
    {
        _context = context;
        Repository = repository;
        Directory.CreateDirectory(Source);
    }

    public ForgeRepository Repository { get; private set; }

    public string SourceParent => Path.Join(_context.TempPath, "source");

    public string Source => Path.Join(SourceParent, "data");

    public string TempPath => _context.TempPath;

    public string PathOfObject(string objectName) => _context.PathOf(objectName);

    /// <summary>Every object's name and length, sorted: a fingerprint of the repository's state.</summary>
    public Task<IReadOnlyList<string>> ListObjectsAsync() => _context.ListAllAsync();

    public RepositoryTestContext Storage => _context;

    public static async Task<EngineTestContext> CreateAsync(int packSize = RepositoryConfig.MinimumPackSize)
    {
        var context = new RepositoryTestContext();
        try
        {
            var repository = await context.InitAsync(RepositoryTestContext.Options(packSize));
            return new EngineTestContext(context, repository);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Writes a file under <see cref="Source"/>, creating folders on the way.</summary>
    public string Write(string relativePath, byte[] content)
    {
        var path = SourcePath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string Write(string relativePath, string text) => Write(relativePath, Encoding.UTF8.GetBytes(text));

    public string SourcePath(string relativePath) => Path.Join(Source, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>A new, not yet existing folder to restore into.</summary>
    public string NewTarget() => Path.Join(_context.TempPath, "restore-" + Interlocked.Increment(ref _targets));

    public Task<Snapshot> BackupAsync(BackupOptions? options = null, CancellationToken cancellationToken = default) =>
        BackupRunner.RunAsync(Repository, options ?? new BackupOptions { Paths = [Source] }, progress: null, cancellationToken);

    public Task<RestoreResult> RestoreAsync(Snapshot snapshot, RestoreOptions options) =>
        RestoreRunner.RunAsync(Repository, snapshot, options, progress: null, CancellationToken.None);

    public async Task<(RestoreResult Result, string Target)> RestoreToNewAsync(Snapshot snapshot)
    {
        var target = NewTarget();
        return (await RestoreAsync(snapshot, new RestoreOptions { Destination = target }), target);
    }

    /// <summary>Closes the repository and opens it again from storage, as a new process would.</summary>
    public async Task ReopenAsync()
    {
        await Repository.DisposeAsync();
        Repository = await _context.OpenAsync();
    }

    /// <summary>The tree of a snapshot's single top-level folder, loaded from the repository.</summary>
    public async Task<Tree> LoadTreeAsync(string treeId)
    {
        var bytes = await Repository.ReadBlobAsync(BlobId.Parse(treeId), BlobType.Tree);
        return Tree.Parse(bytes);
    }

    /// <summary>The node at a '/'-separated path of a snapshot.</summary>
    public async Task<TreeNode> FindNodeAsync(Snapshot snapshot, string path)
    {
        var treeId = snapshot.Tree;
        TreeNode? node = null;
        foreach (var segment in path.Split('/'))
        {
            var tree = await LoadTreeAsync(node?.Subtree ?? treeId);
            node = tree.Find(segment) ?? throw new InvalidOperationException($"'{path}' is not in snapshot {snapshot.ShortId}.");
        }

        return node!;
    }

    /// <summary>Every node of a snapshot with its '/'-separated path, parents before children.</summary>
    public async Task<IReadOnlyList<(string Path, TreeNode Node)>> ListNodesAsync(Snapshot snapshot)
    {
        List<(string, TreeNode)> nodes = [];

        async Task WalkAsync(string treeId, string prefix)
        {
            foreach (var node in (await LoadTreeAsync(treeId)).Nodes)
            {
                var path = prefix.Length == 0 ? node.Name : prefix + "/" + node.Name;
                nodes.Add((path, node));
                if (node.Subtree is { } subtree)
                {
                    await WalkAsync(subtree, path);
                }
            }
        }

        await WalkAsync(snapshot.Tree, "");
        return nodes;
    }

    /// <summary>
    /// Saves a copy of <paramref name="basis"/>, one second newer, whose node at <paramref name="path"/> is replaced
    /// by <paramref name="edit"/>'s result: the trees above it are rewritten and stored as a backup would store them.
    /// This is how a damaged or lying tree is made for the checks that must catch one.
    /// </summary>
    public async Task<Snapshot> SaveEditedSnapshotAsync(Snapshot basis, string path, Func<TreeNode, TreeNode> edit)
    {
        List<(BlobId Id, byte[] Bytes)> trees = [];

        async Task<string> RewriteAsync(string treeId, string[] segments, int depth)
        {
            var nodes = (await LoadTreeAsync(treeId)).Nodes.ToList();
            var index = nodes.FindIndex(n => n.Name == segments[depth]);
            Assert.True(index >= 0, $"'{path}' is not in snapshot {basis.ShortId}.");
            nodes[index] = depth == segments.Length - 1
                ? edit(nodes[index])
                : nodes[index] with { Subtree = await RewriteAsync(nodes[index].Subtree!, segments, depth + 1) };
            var bytes = new Tree(nodes).Serialize();
            var id = Repository.ComputeBlobId(bytes);
            trees.Add((id, bytes));
            return id.ToString();
        }

        var root = await RewriteAsync(basis.Tree, path.Split('/'), 0);
        using (var writer = Repository.CreatePackWriter())
        {
            foreach (var (id, bytes) in trees.Where(t => !Repository.Index.Contains(t.Id, BlobType.Tree)))
            {
                Assert.Null(await writer.AddAsync(BlobType.Tree, id, Repository.BlobSealer.Seal(BlobType.Tree, id, bytes), bytes.Length));
            }

            if (await writer.FlushAsync() is { } pack)
            {
                await Repository.WriteIndexAsync([pack]);
            }
        }

        var edited = basis with { Id = null, Tree = root, Time = basis.Time.AddSeconds(1), EndTime = basis.EndTime.AddSeconds(1), Parent = basis.Id };
        return edited with { Id = await Repository.SaveSnapshotAsync(edited.ToJson()) };
    }

    /// <summary>Flips one bit in the middle of the sealed bytes of a blob, in its pack on storage; returns the pack id.</summary>
    public string DamageBlob(string blobHex, BlobType type = BlobType.Data)
    {
        Assert.True(Repository.Index.TryGet(BlobId.Parse(blobHex), type, out var blob), $"{type} blob {blobHex} is not indexed");
        var pack = _context.PathOf(RepositoryPaths.Pack(blob.PackId));
        File.SetAttributes(pack, FileAttributes.Normal);
        using var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = blob.Offset + (blob.Length / 2);
        var value = stream.ReadByte();
        stream.Position -= 1;
        stream.WriteByte((byte)(value ^ 0x01));
        return blob.PackId.ToString();
    }

    /// <summary>Deletes the pack holding a blob; returns its id.</summary>
    public string DeletePackOf(string blobHex, BlobType type = BlobType.Data)
    {
        Assert.True(Repository.Index.TryGet(BlobId.Parse(blobHex), type, out var blob), $"{type} blob {blobHex} is not indexed");
        File.Delete(_context.PathOf(RepositoryPaths.Pack(blob.PackId)));
        return blob.PackId.ToString();
    }

    /// <summary>Every file under a folder, as '/'-separated relative paths, sorted.</summary>
    public static IReadOnlyList<string> ListFiles(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path => Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Random, incompressible bytes from a fixed seed.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await Repository.DisposeAsync();
        _context.Dispose();
    }
}
