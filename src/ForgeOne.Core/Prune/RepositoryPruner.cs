using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Prune;

/// <summary>
/// Removes data no snapshot uses (<c>forge prune</c>, <c>Invoke-ForgeRetention -Prune</c>): packs whose blobs are all
/// unused are deleted, packs mostly unused are rewritten with only their used blobs.
/// </summary>
/// <remarks>
/// <para><b>Order</b>, so a process killed at any instant loses nothing: under the exclusive lock, (1) find every
/// blob the snapshots use by walking their trees (any snapshot or tree that does not read stops the prune before
/// anything changes); (2) write the used blobs of the packs to rewrite into new packs; (3) write one new index listing
/// the kept and new packs that supersedes every index file present; (4) delete the old index files; (5) delete the
/// old packs, and every pack no index file names (leftovers of backups or prunes killed before their index). Until
/// (3) the new packs are unreferenced leftovers; from (3) on readers see only the new index, and
/// what (4) and (5) have not deleted yet is unreferenced garbage the next prune removes.</para>
/// <para><b>Memory</b>: a set of the used blobs' (type, id), about 70 bytes a blob (70 MiB per TiB at the default
/// 1 MiB chunks), and per pack its counts; the index files are read once more to plan, about 50 bytes a blob while
/// planning. Rewritten blobs pass through one at a time.</para>
/// </remarks>
public static class RepositoryPruner
{
    /// <summary>Prunes the repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="options">Thresholds and dry run; null for the defaults.</param>
    /// <param name="progress">Progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels; safe at any point (see remarks).</param>
    /// <returns>What was (or would be) removed and rewritten.</returns>
    /// <exception cref="PruneRefusedException">What is in use cannot be known for sure; nothing was changed.</exception>
    public static async Task<PruneResult> PruneAsync(Repository.Repository repository, PruneOptions? options, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        options ??= new PruneOptions();
        var clock = Stopwatch.StartNew();
        await using var exclusive = await repository.LockAsync(exclusive: true, "prune", cancellationToken).ConfigureAwait(false);
        var indexFiles = await repository.ReadAllIndexFilesAsync(cancellationToken).ConfigureAwait(false);
        repository.LoadIndex(indexFiles, releaseFiles: false);

        var (used, snapshots) = await FindUsedAsync(repository, progress, clock, cancellationToken).ConfigureAwait(false);
        var plan = Plan(indexFiles, used, options.RepackBelowUsage);

        // Packs no index file names: a backup or prune killed before its index was written, or an earlier prune killed
        // after its new index. Under the exclusive lock no backup is writing, so none of them can become referenced.
        var indexed = indexFiles.SelectMany(file => file.File.Packs).Select(pack => pack.Id).ToHashSet();
        var orphans = new List<(string Name, long Length)>();
        await foreach (var item in repository.Backend.ListAsync(RepositoryPaths.DataPrefix, cancellationToken).ConfigureAwait(false))
        {
            var hex = item.Name[(item.Name.LastIndexOf('/') + 1)..];
            if (!PackId.TryParse(hex, out var id) || !indexed.Contains(id))
            {
                orphans.Add((item.Name, item.Length));
            }
        }

        var result = new PruneResult
        {
            DryRun = options.DryRun,
            Snapshots = snapshots,
            PacksBefore = plan.Packs.Count,
            PacksDeleted = plan.Delete.Count + orphans.Count,
            PacksRewritten = plan.Rewrite.Count,
            BlobsRemoved = plan.UnusedBlobs,
            IndexFilesReplaced = indexFiles.Length,
            BytesUnusedLeft = plan.UnusedBytesLeft,
        };
        if (options.DryRun)
        {
            return result with
            {
                BytesFreed = plan.Delete.Concat(plan.Rewrite).Sum(pack => pack.Length) + orphans.Sum(orphan => orphan.Length) - plan.ToCopyBytes,
                BytesRepacked = plan.ToCopyBytes,
                IndexFilesReplaced = 0,
                Duration = clock.Elapsed,
            };
        }

        if (plan.Delete.Count == 0 && plan.Rewrite.Count == 0)
        {
            await DeleteOrphansAsync(repository, orphans, exclusive, cancellationToken).ConfigureAwait(false);
            return result with { IndexFilesReplaced = 0, BytesFreed = orphans.Sum(orphan => orphan.Length), Duration = clock.Elapsed };
        }

        var written = await RewriteAsync(repository, plan, used, progress, clock, cancellationToken).ConfigureAwait(false);
        exclusive.ThrowIfLost();
        await repository.WriteIndexAsync([.. plan.Keep, .. written], [.. indexFiles.Select(file => file.Id)], cancellationToken).ConfigureAwait(false);

        // From here on the old index files and packs are unreferenced; deleting them is only tidying up.
        foreach (var (id, _, _) in indexFiles)
        {
            await DeleteIfPresentAsync(repository.Backend, RepositoryPaths.Index(id), cancellationToken).ConfigureAwait(false);
        }

        foreach (var pack in plan.Delete.Concat(plan.Rewrite))
        {
            await DeleteIfPresentAsync(repository.Backend, RepositoryPaths.Pack(pack.Id), cancellationToken).ConfigureAwait(false);
        }

        await DeleteOrphansAsync(repository, orphans, exclusive, cancellationToken).ConfigureAwait(false);

        await repository.ReloadIndexAsync(cancellationToken).ConfigureAwait(false);
        var pruned = result with
        {
            PacksWritten = written.Count,
            BytesRepacked = written.Sum(pack => pack.Blobs.Sum(blob => (long)blob.Length)),
            BytesFreed = plan.Delete.Concat(plan.Rewrite).Sum(pack => pack.Length) + orphans.Sum(orphan => orphan.Length) - written.Sum(pack => pack.Length),
            Duration = clock.Elapsed,
        };
        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Prune,
            Target = "repository",
            Parameters = new Dictionary<string, string>
            {
                ["packsDeleted"] = pruned.PacksDeleted.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["packsRewritten"] = pruned.PacksRewritten.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["bytesFreed"] = pruned.BytesFreed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, cancellationToken).ConfigureAwait(false);
        return pruned;
    }

    private static async Task<(HashSet<(BlobType, BlobId)> Used, int Snapshots)> FindUsedAsync(Repository.Repository repository,
        IProgress<OperationProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var damaged = new List<DamagedSnapshot>();
        var snapshots = await SnapshotStore.FindAsync(repository, null, cancellationToken, damaged).ConfigureAwait(false);
        if (damaged.Count > 0)
        {
            throw new PruneRefusedException($"snapshot {damaged[0].Id[..8]} does not read ({damaged[0].Problem}), so the data it uses cannot be told apart. Remove it with Remove-ForgeBackup (forge forget {damaged[0].Id[..8]}) if it is beyond repair, then prune.");
        }

        var used = new HashSet<(BlobType, BlobId)>();
        var pending = new Stack<string>(snapshots.Select(snapshot => snapshot.Tree));
        long trees = 0;
        while (pending.TryPop(out var treeId))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!used.Add((BlobType.Tree, BlobId.Parse(treeId))))
            {
                continue; // A shared subtree is walked once.
            }

            Tree tree;
            try
            {
                tree = await BackupRunner.LoadTreeAsync(repository, treeId, cancellationToken).ConfigureAwait(false);
            }
            catch (ForgeException ex)
            {
                throw new PruneRefusedException($"tree {treeId[..8]} does not read ({ex.Message}). Run Test-ForgeRepository -ReadData (forge check --read-data) to see which snapshots are affected.", ex);
            }

            foreach (var node in tree.Nodes)
            {
                if (node.Subtree is { } subtree)
                {
                    pending.Push(subtree);
                }

                foreach (var chunk in node.Content ?? [])
                {
                    used.Add((BlobType.Data, BlobId.Parse(chunk)));
                }
            }

            if (++trees % 256 == 0)
            {
                progress?.Report(new OperationProgress("Finding used data", treeId[..8], trees, null, 0, null, clock.Elapsed));
            }
        }

        return (used, snapshots.Count);
    }

    private static PrunePlan Plan(IReadOnlyList<(string Id, bool Superseded, IndexFile File)> indexFiles, HashSet<(BlobType, BlobId)> used, double repackBelowUsage)
    {
        // Only live files say where blobs are; superseded ones are replaced too, but their packs are not counted.
        var packs = new List<PackResult>();
        var seenPacks = new HashSet<PackId>();
        foreach (var (_, superseded, file) in indexFiles)
        {
            if (!superseded)
            {
                packs.AddRange(file.Packs.Where(pack => seenPacks.Add(pack.Id)));
            }
        }

        // A blob listed in several packs is used from its first location, as the index loads it; later copies are unused.
        var firstLocation = new HashSet<(BlobType, BlobId)>();
        var plan = new PrunePlan(packs);
        foreach (var pack in packs)
        {
            long usedBytes = 0, unusedBytes = 0;
            var unusedBlobs = 0;
            foreach (var blob in pack.Blobs)
            {
                var key = (blob.Type, blob.Id);
                if (used.Contains(key) && firstLocation.Add(key))
                {
                    usedBytes += blob.Length;
                }
                else
                {
                    unusedBytes += blob.Length;
                    unusedBlobs++;
                }
            }

            if (usedBytes == 0)
            {
                plan.Delete.Add(pack);
                plan.UnusedBlobs += pack.Blobs.Count;
            }
            else if (unusedBytes > 0 && (double)usedBytes / (usedBytes + unusedBytes) < repackBelowUsage)
            {
                plan.Rewrite.Add(pack);
                plan.UnusedBlobs += unusedBlobs;
                plan.ToCopyBytes += usedBytes;
            }
            else
            {
                plan.Keep.Add(pack);
                plan.UnusedBytesLeft += unusedBytes;
            }
        }

        var missing = used.Where(key => !firstLocation.Contains(key)).Take(1).ToList();
        if (missing.Count > 0)
        {
            throw new PruneRefusedException($"{(missing[0].Item1 == BlobType.Tree ? "tree" : "data")} blob {missing[0].Item2.ShortId} is used by a snapshot but is in no pack. Run Test-ForgeRepository (forge check) to see which snapshots are damaged.");
        }

        return plan;
    }

    private static async Task<List<PackResult>> RewriteAsync(Repository.Repository repository, PrunePlan plan, HashSet<(BlobType, BlobId)> used, IProgress<OperationProgress>? progress,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        var kept = plan.Keep.SelectMany(pack => pack.Blobs).Select(blob => (blob.Type, blob.Id)).ToHashSet();
        var copied = new HashSet<(BlobType, BlobId)>();
        var written = new List<PackResult>();
        long bytes = 0;
        using var writer = repository.CreatePackWriter();
        foreach (var pack in plan.Rewrite)
        {
            foreach (var blob in pack.Blobs)
            {
                var key = (blob.Type, blob.Id);
                if (!used.Contains(key) || kept.Contains(key) || !copied.Add(key))
                {
                    continue;
                }

                // Opened and checked (authentication and id) before it is sealed anew: a damaged blob is not carried over silently.
                var plaintext = await repository.ReadBlobAsync(blob.Id, blob.Type, cancellationToken).ConfigureAwait(false);
                var sealedBlob = repository.BlobSealer.Seal(blob.Type, blob.Id, plaintext);
                if (await writer.AddAsync(blob.Type, blob.Id, sealedBlob, plaintext.Length, cancellationToken).ConfigureAwait(false) is { } full)
                {
                    written.Add(full);
                }

                bytes += blob.Length;
                progress?.Report(new OperationProgress("Rewriting packs", pack.Id.ShortId, written.Count, null, bytes, plan.ToCopyBytes, clock.Elapsed));
            }
        }

        if (await writer.FlushAsync(cancellationToken).ConfigureAwait(false) is { } last)
        {
            written.Add(last);
        }

        return written;
    }

    private static async Task DeleteOrphansAsync(Repository.Repository repository, List<(string Name, long Length)> orphans, Repository.Locking.RepositoryLock exclusive, CancellationToken cancellationToken)
    {
        foreach (var (name, _) in orphans)
        {
            exclusive.ThrowIfLost();
            await DeleteIfPresentAsync(repository.Backend, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteIfPresentAsync(IStorageBackend backend, string name, CancellationToken cancellationToken)
    {
        try
        {
            await backend.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageObjectNotFoundException)
        {
        }
    }

    /// <summary>What the prune will do with each pack, and the blobs it counts as used where they are.</summary>
    private sealed class PrunePlan(List<PackResult> packs)
    {
        public List<PackResult> Packs { get; } = packs;

        public List<PackResult> Keep { get; } = [];

        public List<PackResult> Delete { get; } = [];

        public List<PackResult> Rewrite { get; } = [];

        public long UnusedBlobs { get; set; }

        public long ToCopyBytes { get; set; }

        public long UnusedBytesLeft { get; set; }
    }
}
