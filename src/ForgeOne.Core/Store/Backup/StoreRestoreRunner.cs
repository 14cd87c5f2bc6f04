using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Snapshots;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Backup;

/// <summary>
/// Restores one or all databases of a store from a store backup (<c>forge backup restore --target=logs_shard_0.redb</c>).
/// </summary>
/// <remarks>
/// <para>Order, so that a failure at any point leaves the store usable and nothing half-written under a database's
/// name: take the store's exclusive in-use lock (refused while anyone has the store open); read each file from
/// the backup into a staging folder inside the store (chunks and content hash checked); check each staged file's
/// identity, region, SQLite integrity and logical DNA against the backup's record; only when every one passes,
/// checkpoint the live file, rename it to a dated name beside it (its version is kept) and rename the staged file
/// into place.</para>
/// <para>A process killed before the renames leaves a <c>.restore-*</c> folder the next restore deletes; one killed
/// between the two renames of a database leaves its dated version and a missing name, which the store reports
/// with the command to run again.</para>
/// </remarks>
public static class StoreRestoreRunner
{
    private const string StagingPrefix = ".restore-";

    /// <summary>Restores as <paramref name="options"/> say.</summary>
    /// <param name="repository">The open repository.</param>
    /// <param name="credentials">The store's credentials, to open the keys that DNA verification needs.</param>
    /// <param name="options">Which store, which databases, which backup.</param>
    /// <param name="progress">Progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels before the store is changed.</param>
    /// <returns>The databases restored.</returns>
    /// <exception cref="StoreBackupNotFoundException">No backup of this store (or of that database) is in the repository.</exception>
    /// <exception cref="StoreInUseException">Another process has the store open.</exception>
    /// <exception cref="StoreRestoreVerificationException">A restored file failed verification; the store is unchanged.</exception>
    public static async Task<StoreRestoreResult> RunAsync(Repository.Repository repository, RepositoryCredentials credentials, StoreRestoreOptions options,
        IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var storePath = Path.GetFullPath(options.StorePath);
        var liveStoreId = ReadLiveStoreId(storePath);
        var snapshot = await FindBackupAsync(repository, storePath, liveStoreId, options.SnapshotId, cancellationToken).ConfigureAwait(false);
        var manifest = snapshot.Store!;
        if (liveStoreId is not null && liveStoreId != manifest.StoreId)
        {
            throw new StoreFormatException(storePath, $"this folder holds store {liveStoreId}, but backup {snapshot.ShortId} is of store {manifest.StoreId}. Restore into an empty folder instead.");
        }

        var targets = SelectTargets(manifest, options.Target, storePath);
        Directory.CreateDirectory(storePath);
        var layout = new StoreLayout(storePath, 1, 1, 1);
        using var exclusive = StoreLock.AcquireExclusive(layout);
        DeleteStaleStaging(storePath);

        var staging = Path.Combine(storePath, StagingPrefix + ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(staging);
        try
        {
            var done = 0;
            foreach (var entry in targets)
            {
                progress?.Report(new OperationProgress("Restoring", entry.Database, done++, targets.Count, 0, null, clock.Elapsed));
                await using var output = new FileStream(Path.Combine(staging, entry.Database), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                await RestoreRunner.DumpAsync(repository, snapshot, StoreBackupRunner.RootName + "/" + entry.Database, output, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Verify(storePath, staging, targets, manifest, credentials, cancellationToken);

            // Past this point the store changes; do not stop half-way between databases.
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var restored = new List<RestoredDatabase>(targets.Count);
            foreach (var entry in targets)
            {
                var previous = Replace(Path.Combine(storePath, entry.Database), Path.Combine(staging, entry.Database), stamp);
                restored.Add(new RestoredDatabase
                {
                    Database = entry.Database,
                    LogicalDna = entry.LogicalDna,
                    Bytes = new FileInfo(Path.Combine(storePath, entry.Database)).Length,
                    PreviousVersion = previous,
                });
            }

            await AuditTrail.TryRecordAsync(repository, new AuditEvent
            {
                Operation = AuditOperations.Restore,
                Target = "store " + storePath,
                Parameters = new Dictionary<string, string> { ["databases"] = string.Join(",", restored.Select(database => database.Database)), ["storeId"] = manifest.StoreId },
                RelatedIds = [snapshot.Id!],
            }, CancellationToken.None).ConfigureAwait(false);
            return new StoreRestoreResult { SnapshotId = snapshot.Id!, StorePath = storePath, Databases = restored, Duration = clock.Elapsed };
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The newest store backup of the store at <paramref name="storePath"/>, or the one named.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="storePath">The store's full path.</param>
    /// <param name="storeId">The store's id when known (a live store), to tell apart stores once kept at one path.</param>
    /// <param name="snapshotId">A snapshot id or prefix; null for the newest.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>A snapshot with a store manifest.</returns>
    /// <exception cref="StoreBackupNotFoundException">There is none.</exception>
    public static async Task<Snapshot> FindBackupAsync(Repository.Repository repository, string storePath, string? storeId, string? snapshotId, CancellationToken cancellationToken)
    {
        if (snapshotId is not null)
        {
            var named = await SnapshotStore.LoadAsync(repository, snapshotId, cancellationToken).ConfigureAwait(false);
            return named.Store is not null ? named : throw new StoreBackupNotFoundException(storePath, $"in snapshot {named.ShortId}, which is a backup of files, not of a store");
        }

        Snapshot? newest = null;
        await foreach (var snapshot in SnapshotStore.ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            var matches = snapshot.Store is not null
                && (storeId is not null ? snapshot.Store.StoreId == storeId : snapshot.Paths.Contains(storePath, StringComparer.Ordinal));
            if (matches && (newest is null || snapshot.Time > newest.Time))
            {
                newest = snapshot;
            }
        }

        return newest ?? throw new StoreBackupNotFoundException(storePath, "(no snapshot made by a store backup names it)");
    }

    private static List<StoreManifestEntry> SelectTargets(StoreManifest manifest, string target, string storePath)
    {
        if (string.IsNullOrWhiteSpace(target) || target.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. manifest.Databases];
        }

        var selected = Enum.TryParse<StoreDatabaseKind>(target.Trim(), ignoreCase: true, out var kind) && !char.IsDigit(target.Trim()[0])
            ? manifest.Databases.Where(entry => StoreDatabase.Parse(entry.Database).Kind == kind).ToList()
            : manifest.Databases.Where(entry => entry.Database == StoreDatabase.Parse(target).FileName).ToList();
        return selected.Count > 0 ? selected : throw new StoreBackupNotFoundException(storePath, $"holding {target}");
    }

    private static void Verify(string storePath, string staging, List<StoreManifestEntry> targets, StoreManifest manifest, RepositoryCredentials credentials, CancellationToken cancellationToken)
    {
        // Keys come from the system.redb being restored when it is one of the targets, else from the live one.
        var systemPath = targets.Any(entry => entry.Database == StoreDatabase.System.FileName)
            ? Path.Combine(staging, StoreDatabase.System.FileName)
            : Path.Combine(storePath, StoreDatabase.System.FileName);
        if (!File.Exists(systemPath))
        {
            throw new StoreFormatException(systemPath, "system.redb is missing, and its keys are needed to verify the restored databases. Restore it too (-Target system.redb, or All).");
        }

        StoreKeys keys;
        using (var system = StoreConnection.OpenReadOnly(systemPath))
        {
            keys = ForgeStore.UnlockKeys(system, storePath, credentials);
        }

        using (keys)
        {
            foreach (var entry in targets)
            {
                var path = Path.Combine(staging, entry.Database);
                var database = StoreDatabase.Parse(entry.Database);
                var problems = new List<string>();
                try
                {
                    using var connection = StoreConnection.OpenReadOnly(path);
                    var (_, region) = ForgeStore.CheckIdentity(connection, path, database, manifest.StoreId);
                    if (region != manifest.Region)
                    {
                        problems.Add($"it is of region {region}, the store of region {manifest.Region}.");
                    }

                    problems.AddRange(connection.IntegrityCheck().Select(line => "integrity_check: " + line));
                    using var shard = new StoreShard(database, connection, keys);
                    var dna = LogicalDna.Compute(shard, cancellationToken);
                    if (dna != entry.LogicalDna)
                    {
                        problems.Add($"its logical DNA is {dna}, but the backup recorded {entry.LogicalDna}.");
                    }
                }
                catch (Exception ex) when (ex is ForgeException or SqliteException or InvalidDataException)
                {
                    problems.Add(ex.Message);
                }

                if (problems.Count > 0)
                {
                    throw new StoreRestoreVerificationException(entry.Database, problems);
                }
            }
        }
    }

    private static string? Replace(string live, string staged, string stamp)
    {
        string? previous = null;
        if (File.Exists(live))
        {
            // Fold the WAL into the file first, so the kept version is whole and no -wal is left to be applied to the
            // restored file, which takes this name next.
            using (var connection = StoreConnection.OpenReadWrite(live))
            {
                connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
                connection.Execute("PRAGMA journal_mode = DELETE");
            }

            previous = live + "." + stamp + ".previous";
            File.Move(live, previous);
        }

        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            if (File.Exists(live + suffix))
            {
                File.Move(live + suffix, (previous ?? live + "." + stamp) + suffix, overwrite: true);
            }
        }

        File.Move(staged, live);
        return previous;
    }

    private static string? ReadLiveStoreId(string storePath)
    {
        var system = Path.Combine(storePath, StoreDatabase.System.FileName);
        if (!File.Exists(system))
        {
            return null;
        }

        try
        {
            using var connection = StoreConnection.OpenReadOnly(system);
            return ForgeStore.CheckIdentity(connection, system, StoreDatabase.System, expectedStoreId: null).StoreId;
        }
        catch (Exception ex) when (ex is StoreFormatException or SqliteException)
        {
            return null; // A damaged system.redb is what a restore is for.
        }
    }

    private static void DeleteStaleStaging(string storePath)
    {
        // Only called under the exclusive lock, so no other restore owns these.
        foreach (var stale in Directory.EnumerateDirectories(storePath, StagingPrefix + "*"))
        {
            Directory.Delete(stale, recursive: true);
        }
    }
}
