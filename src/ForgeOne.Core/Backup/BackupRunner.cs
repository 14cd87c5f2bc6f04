using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Backup;

/// <summary>Runs a backup into an open repository and commits it as a snapshot.</summary>
/// <remarks>
/// Write order makes every crash safe: packs, then an index naming them, then the snapshot object, which is the
/// commit point (docs/design.md, "Commit order"). Cancelled or failed backups leave only unreferenced packs.
/// </remarks>
public static class BackupRunner
{
    /// <summary>Backs up <see cref="BackupOptions.Paths"/> and returns the committed snapshot.</summary>
    /// <exception cref="ArgumentException">A path does not exist, or two paths end in the same name.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was committed.</exception>
    public static async Task<Snapshot> RunAsync(Repository.Repository repository, BackupOptions options, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        var roots = ResolveRoots(options.Paths);
        var host = options.Host ?? Environment.MachineName;
        var paths = options.RecordedPaths?.ToList() ?? roots.Select(r => r.FullPath).Order(StringComparer.Ordinal).ToList();
        List<string> warnings = [];
        var parent = await FindParentAsync(repository, options.Parent, host, paths, warnings, cancellationToken).ConfigureAwait(false);
        Tree? parentRoot = null;
        if (parent is not null)
        {
            try
            {
                parentRoot = await LoadTreeAsync(repository, parent.Tree, cancellationToken).ConfigureAwait(false);
            }
            catch (ForgeException ex)
            {
                // As below the top: a damaged parent only costs speed, and this is when a new backup matters most.
                warnings.Add($"parent snapshot {parent.ShortId}: its tree could not be read ({ex.Message}); every file was read again.");
            }
        }

        return await CommitAsync(repository, host, paths, options, parent, warnings, progress, roots, async (archiver, ct) =>
        {
            List<TreeNode> nodes = [];
            foreach (var (fullPath, name) in roots)
            {
                var parentNode = parentRoot?.Nodes.FirstOrDefault(n => n.Name == name);
                if (await archiver.SaveAsync(fullPath, name, name, parentNode, ct).ConfigureAwait(false) is { } node)
                {
                    nodes.Add(node);
                }
            }

            return nodes;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Backs up one stream as a single file named <paramref name="fileName"/>, e.g. <c>pg_dump | forge backup create --stdin</c>.</summary>
    public static Task<Snapshot> RunFromStreamAsync(Repository.Repository repository, Stream input, string fileName, IReadOnlyList<string>? tags, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(fileName) || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal) || fileName is "." or "..")
        {
            throw new ArgumentException($"'{fileName}' is not a file name; give a plain name such as db.sql.", nameof(fileName));
        }

        var options = new BackupOptions { Paths = [fileName], Tags = tags ?? [] };
        return CommitAsync(repository, Environment.MachineName, ["-/" + fileName], options, parent: null, warnings: [], progress, scanRoots: null,
            async (archiver, ct) => [await archiver.SaveStreamAsync(input, fileName, ct).ConfigureAwait(false)], cancellationToken);
    }

    // scanRoots: the paths to size for progress, or null (a stream has no size to know ahead).
    private static async Task<Snapshot> CommitAsync(
        Repository.Repository repository, string host, IReadOnlyList<string> paths, BackupOptions options, Snapshot? parent,
        IReadOnlyList<string> warnings, IProgress<OperationProgress>? progress, IReadOnlyList<(string FullPath, string Name)>? scanRoots,
        Func<Archiver, CancellationToken, Task<List<TreeNode>>> archive, CancellationToken cancellationToken)
    {
        // Sized only for someone watching: without progress the scan would only add reads.
        using var scanCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scan = progress is null || scanRoots is null ? null : BackupScan.Start(scanRoots, new EntrySelection(options), scanCancellation.Token);
        try
        {
            return await CommitCoreAsync(repository, host, paths, options, parent, warnings, progress, scan, archive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ForgeException or IOException or UnauthorizedAccessException)
        {
            await AuditTrail.RecordFailureAsync(repository, AuditOperations.Backup, "backup.failed", string.Join(", ", paths), ex.Message,
                new Dictionary<string, string> { ["host"] = host }, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            // A backup that ends first, in whatever way, stops the scan; nothing of it outlives the call.
            await scanCancellation.CancelAsync().ConfigureAwait(false);
            await (scan?.Completion ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<Snapshot> CommitCoreAsync(
        Repository.Repository repository, string host, IReadOnlyList<string> paths, BackupOptions options, Snapshot? parent,
        IReadOnlyList<string> warnings, IProgress<OperationProgress>? progress, BackupScan? scan,
        Func<Archiver, CancellationToken, Task<List<TreeNode>>> archive, CancellationToken cancellationToken)
    {
        await using var repositoryLock = await repository.LockAsync(exclusive: false, "backup", cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var statistics = new BackupStatistics();
        var workers = Math.Max(1, Environment.ProcessorCount);
        await using var uploader = new BlobUploader(repository, statistics, workers, cancellationToken);
        using var archiver = new Archiver(repository, uploader, options, statistics, current =>
        {
            var (files, bytes) = scan?.Totals ?? (null, null);
            progress?.Report(new OperationProgress("Backing up", current, statistics.Files, files, statistics.LogicalBytes, bytes, clock.Elapsed));
        });

        var nodes = await archive(archiver, cancellationToken).ConfigureAwait(false);
        var rootId = await archiver.SaveTreeAsync(new Tree(nodes), cancellationToken).ConfigureAwait(false);
        var packs = await uploader.CompleteAsync().ConfigureAwait(false);
        if (packs.Count > 0)
        {
            await repository.WriteIndexAsync(packs, cancellationToken).ConfigureAwait(false);
        }

        // Trees are read back from the packs just written rather than kept from the walk, so a backup's memory does not
        // grow with the number of folders; tree blobs are small and the read also proves they landed.
        var dna = await DnaHash.ComputeForTreeAsync(rootId, (id, ct) => LoadTreeAsync(repository, id, ct), cancellationToken: cancellationToken).ConfigureAwait(false);

        // The log's head goes into the snapshot, so cutting the log back later shows against this snapshot.
        var auditHead = await AuditTrail.TryGetHeadAsync(repository, cancellationToken).ConfigureAwait(false);

        var snapshot = new Snapshot
        {
            Time = started,
            EndTime = DateTimeOffset.UtcNow,
            Host = host,
            User = Environment.UserName,
            Paths = paths,
            Tags = options.Tags,
            Parent = parent?.Id,
            Tree = rootId,
            Files = statistics.Files,
            Directories = statistics.Directories,
            LogicalBytes = statistics.LogicalBytes,
            AddedBytes = statistics.AddedBytes,
            StoredBytes = statistics.StoredBytes,
            DnaHash = dna,
            Warnings = [.. warnings, .. archiver.Warnings],
            Store = options.Store,
            AuditHead = auditHead,
        };
        if (auditHead is null)
        {
            snapshot = snapshot with { Warnings = [.. snapshot.Warnings, "the audit log's head could not be read, so this snapshot does not anchor it; run Test-ForgeAuditLog (forge audit verify)."] };
        }

        // The commit point: before this line the backup does not exist; after it, it is complete.
        repositoryLock.ThrowIfLost();
        var id = await repository.SaveSnapshotAsync(snapshot.ToJson(), cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Backup,
            Target = string.Join(", ", paths),
            Parameters = new Dictionary<string, string>
            {
                ["host"] = host,
                ["tags"] = string.Join(",", options.Tags),
                ["files"] = snapshot.Files.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["logicalBytes"] = snapshot.LogicalBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["addedBytes"] = snapshot.AddedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RelatedIds = [id],
        }, cancellationToken).ConfigureAwait(false);
        return snapshot with { Id = id };
    }

    private static List<(string FullPath, string Name)> ResolveRoots(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new ArgumentException("Nothing to back up: give at least one path.", nameof(paths));
        }

        List<(string, string)> roots = [];
        HashSet<string> names = new(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (!File.Exists(full) && !Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
            {
                throw new ArgumentException($"'{path}' does not exist; check the path to back up.", nameof(paths));
            }

            var name = Path.GetFileName(full);
            if (name.Length == 0)
            {
                name = "root";
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"Two paths end in '{name}', so they would clash at the top of the snapshot; back them up separately or give their common folder.", nameof(paths));
            }

            roots.Add((full, name));
        }

        return roots;
    }

    private static async Task<Snapshot?> FindParentAsync(Repository.Repository repository, string? explicitParent, string host, IReadOnlyList<string> paths,
        List<string> warnings, CancellationToken cancellationToken)
    {
        if (explicitParent is not null)
        {
            return await SnapshotStore.LoadAsync(repository, explicitParent, cancellationToken).ConfigureAwait(false);
        }

        // A damaged snapshot object costs a warning instead of every later backup.
        Snapshot? newest = null;
        var damaged = new List<DamagedSnapshot>();
        await foreach (var snapshot in SnapshotStore.ListAsync(repository, cancellationToken, damaged).ConfigureAwait(false))
        {
            if (snapshot.Host == host && snapshot.Paths.SequenceEqual(paths, StringComparer.Ordinal) && (newest is null || snapshot.Time > newest.Time))
            {
                newest = snapshot;
            }
        }

        warnings.AddRange(damaged.Select(snapshot => $"snapshot {snapshot.Id[..8]}: it could not be read ({snapshot.Problem}), so it was not considered as the parent."));
        return newest;
    }

    internal static async ValueTask<Tree> LoadTreeAsync(Repository.Repository repository, string id, CancellationToken cancellationToken) =>
        Tree.Parse(await repository.ReadBlobAsync(BlobId.Parse(id), BlobType.Tree, cancellationToken).ConfigureAwait(false));
}
