using System.Security.Cryptography;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Store.Backup;

/// <summary>
/// Backs up every database of a store into a repository (<c>forge backup create --all</c>): each database is
/// copied at one point in time while writers continue, its logical DNA computed, and the copies backed up as one
/// snapshot that records the store's id, region and every database's DNA.
/// </summary>
/// <remarks>
/// The copies are staged under the store's <c>snapshots/.backup-*</c> folder and deleted afterwards; the
/// snapshot records the store's folder as its path and holds the files under <c>store/</c>. The subject-key vault
/// is not backed up on purpose: a restore must not bring back a key erased since (docs/store.md).
/// </remarks>
public static class StoreBackupRunner
{
    /// <summary>The folder at the top of a store backup's tree that holds the database files.</summary>
    public const string RootName = "store";

    /// <summary>The tag every store backup carries.</summary>
    public const string Tag = "forge-store";

    /// <summary>Backs up the whole store.</summary>
    /// <param name="store">The open store.</param>
    /// <param name="repository">The open repository.</param>
    /// <param name="tags">Extra tags for the snapshot.</param>
    /// <param name="progress">Progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels; nothing is committed then.</param>
    /// <returns>The committed snapshot, with <see cref="Snapshot.Store"/> set.</returns>
    public static async Task<Snapshot> RunAsync(ForgeStore store, Repository.Repository repository, IReadOnlyList<string>? tags,
        IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(repository);
        var stagingParent = Path.Combine(store.Layout.SnapshotDirectory, ".backup-" + ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4)));
        var staging = Path.Combine(stagingParent, RootName);
        try
        {
            var started = DateTimeOffset.UtcNow;
            var copied = 0;
            var databases = store.Layout.Databases;
            var copies = store.Snapshots.CopyAll(databases, staging, Path.GetFileName(stagingParent), started,
                new SynchronousProgress<string>(database => progress?.Report(new OperationProgress("Snapshotting", database, ++copied, databases.Count, 0, null, DateTimeOffset.UtcNow - started))),
                cancellationToken);
            var damaged = copies.Where(copy => copy.Integrity != "ok").ToList();
            if (damaged.Count > 0)
            {
                throw new StoreFormatException(damaged[0].Database,
                    $"SQLite's integrity check fails ({damaged[0].Integrity}). Restore it from an earlier backup (Restore-ForgeBackup -Store -Target {damaged[0].Database}) before backing up again.");
            }

            var manifest = new StoreManifest(store.Id, store.Region, [.. copies.Select(copy => new StoreManifestEntry(copy.Database, copy.LogicalDna, copy.Bytes))]);
            var options = new BackupOptions
            {
                Paths = [staging],
                Tags = [Tag, .. tags ?? []],
                RecordedPaths = [store.Path],
                Store = manifest,
            };
            return await BackupRunner.RunAsync(repository, options, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(stagingParent, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
