using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Storage;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Backup;
using ForgeOne.Core.Store.Snapshots;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Drills;

/// <summary>
/// Runs disaster-recovery drills (<c>Invoke-ForgeDrDrill</c>, <c>forge drill run</c>) and keeps their results in
/// the repository (<c>drills/&lt;id&gt;</c>, sealed) so that evidence packages can show every drill of a period.
/// </summary>
/// <remarks>
/// A drill restores a snapshot into a scratch folder, checks the restored tree's DNA against the snapshot's, runs
/// SQLite's integrity check (and, given the store's credentials, the logical DNA check) on every restored store
/// database, runs the user's validation, then measures RTO as the time of all of that and RPO as the snapshot's age
/// at the start, compares both with the objectives, removes the scratch folder and records the result. A failed
/// check is part of the result, not an exception; exceptions mean the drill could not run (no snapshot, a locked
/// repository).
/// </remarks>
public static class DrDrillRunner
{
    /// <summary>Where drill results are kept in a repository.</summary>
    public const string Prefix = "drills/";

    private const int MaxRecordLength = 1024 * 1024;

    /// <summary>Runs a drill and records its result.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="options">What to restore and the objectives.</param>
    /// <param name="progress">Progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels; the scratch folder is still removed.</param>
    /// <returns>The result, also stored in the repository.</returns>
    /// <exception cref="Repository.SnapshotNotFoundException">There is no such snapshot (or none at all).</exception>
    public static async Task<DrDrillResult> RunAsync(Repository.Repository repository, DrDrillOptions options, IProgress<OperationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        var started = DateTimeOffset.UtcNow;
        var snapshot = await SnapshotStore.LoadAsync(repository, options.SnapshotId ?? "latest", cancellationToken).ConfigureAwait(false);
        var id = string.Create(CultureInfo.InvariantCulture, $"{started:yyyyMMdd'T'HHmmss'Z'}-{ObjectNames.ToHex(RandomNumberGenerator.GetBytes(2))}");
        var scratch = Path.GetFullPath(options.Scratch ?? Path.Combine(Path.GetTempPath(), "forge-drill-" + id));
        if (Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any())
        {
            throw new ArgumentException($"The scratch folder '{scratch}' is not empty; a drill restores into an empty folder and removes it afterwards. Give another -Scratch.", nameof(options));
        }

        var checks = new List<DrDrillCheck>();
        var clock = Stopwatch.StartNew();
        RestoreResult? restore = null;
        try
        {
            restore = await RestoreRunner.RunAsync(repository, snapshot, new RestoreOptions { Destination = scratch }, progress, cancellationToken).ConfigureAwait(false);
            checks.Add(new DrDrillCheck("restore", restore.Failed.Count == 0,
                restore.Failed.Count == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{restore.Files} files, {restore.Bytes} bytes restored")
                    : $"{restore.Failed.Count} files failed, first {restore.Failed[0].Path}: {restore.Failed[0].Reason}"));
            checks.Add(new DrDrillCheck("dna", restore.Verified,
                restore.Verified ? $"restored tree's DNA {restore.DnaHash} equals the snapshot's"
                : restore.NotVerifiedReason ?? $"restored tree's DNA {restore.DnaHash} differs from the snapshot's {restore.DnaExpected}"));
            if (snapshot.Store is { } manifest)
            {
                checks.AddRange(CheckStore(Path.Combine(scratch, StoreBackupRunner.RootName), manifest, options.StoreCredentials, cancellationToken));
            }

            if (options.Validation is { } validation)
            {
                checks.Add(await ValidateAsync(validation, scratch, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            if (!options.KeepScratch && Directory.Exists(scratch))
            {
                MakeWritable(scratch);
                Directory.Delete(scratch, recursive: true);
            }
        }

        var rto = clock.Elapsed;
        var rpo = started - snapshot.EndTime;
        if (options.RtoObjective is { } rtoObjective)
        {
            checks.Add(new DrDrillCheck("rto", rto <= rtoObjective, $"recovery took {Format(rto)}; the objective is {Format(rtoObjective)}"));
        }

        if (options.RpoObjective is { } rpoObjective)
        {
            checks.Add(new DrDrillCheck("rpo", rpo <= rpoObjective, $"the snapshot was {Format(rpo)} old; the objective is {Format(rpoObjective)}"));
        }

        var result = new DrDrillResult
        {
            Id = id,
            Time = started,
            Host = Environment.MachineName,
            SnapshotId = snapshot.Id!,
            SnapshotTime = snapshot.EndTime,
            DnaHash = restore?.DnaHash,
            Rto = rto,
            Rpo = rpo,
            RtoObjective = options.RtoObjective,
            RpoObjective = options.RpoObjective,
            Checks = checks,
            Files = restore?.Files ?? 0,
            Bytes = restore?.Bytes ?? 0,
        };
        var name = Prefix + id;
        await repository.WriteSealedObjectAsync(name, ObjectKind.Evidence, Encoding.ASCII.GetBytes(name),
            JsonSerializer.SerializeToUtf8Bytes(result, DrDrillJson.Default.DrDrillResult), cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(repository, new AuditEvent
        {
            Operation = AuditOperations.Drill,
            Target = "snapshot " + snapshot.Id,
            Outcome = result.Passed ? AuditOutcome.Succeeded : AuditOutcome.Failed,
            Error = result.Passed ? null : string.Join("; ", result.Failures.Select(check => $"{check.Name}: {check.Detail}")),
            Parameters = new Dictionary<string, string>
            {
                ["rtoSeconds"] = rto.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                ["rpoSeconds"] = rpo.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
                ["checks"] = string.Join(",", checks.Select(check => check.Name + "=" + (check.Passed ? "passed" : "failed"))),
            },
            RelatedIds = [id, snapshot.Id!],
        }, cancellationToken).ConfigureAwait(false);
        if (!result.Passed)
        {
            await AuditTrail.AlertAsync(repository, "drill.failed", $"DR drill {id} of snapshot {snapshot.ShortId} failed: {string.Join("; ", result.Failures.Select(check => check.Name))}",
                [id, snapshot.Id!], cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Every recorded drill, oldest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The drills, oldest first.</returns>
    public static async Task<IReadOnlyList<DrDrillResult>> ListAsync(Repository.Repository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var names = await repository.Backend.ListNamesAsync(Prefix, cancellationToken).ConfigureAwait(false);
        var drills = new List<DrDrillResult>(names.Count);
        foreach (var name in names)
        {
            try
            {
                var json = await repository.ReadSealedObjectAsync(name, ObjectKind.Evidence, Encoding.ASCII.GetBytes(name), MaxRecordLength, cancellationToken).ConfigureAwait(false);
                drills.Add(JsonSerializer.Deserialize(json, DrDrillJson.Default.DrDrillResult)
                    ?? throw new MalformedObjectException(ObjectKind.Evidence, name, "it holds no drill"));
            }
            catch (StorageObjectNotFoundException)
            {
                // Removed since the listing.
            }
        }

        // Ids have whole seconds; two drills of one second sort by their exact start.
        drills.Sort((left, right) => left.Time.CompareTo(right.Time));
        return drills;
    }

    private static List<DrDrillCheck> CheckStore(string restored, StoreManifest manifest, Repository.RepositoryCredentials? credentials, CancellationToken cancellationToken)
    {
        Store.Keys.StoreKeys? keys = null;
        var results = new List<DrDrillCheck>();
        try
        {
            if (credentials is not null)
            {
                try
                {
                    using var system = StoreConnection.OpenReadOnly(Path.Combine(restored, StoreDatabase.System.FileName));
                    keys = ForgeStore.UnlockKeys(system, restored, credentials);
                }
                catch (Exception ex) when (ex is ForgeException or SqliteException)
                {
                    results.Add(new DrDrillCheck("store keys", false, $"the restored system.redb did not open with the store's credentials: {ex.Message}"));
                }
            }

            foreach (var entry in manifest.Databases)
            {
                var path = Path.Combine(restored, entry.Database);
                var database = StoreDatabase.Parse(entry.Database);
                try
                {
                    using var connection = StoreConnection.OpenReadOnly(path);
                    var problems = connection.IntegrityCheck();
                    results.Add(new DrDrillCheck("integrity " + entry.Database, problems.Count == 0,
                        problems.Count == 0 ? "PRAGMA integrity_check: ok" : "PRAGMA integrity_check: " + string.Join("; ", problems)));
                    if (keys is not null)
                    {
                        using var shard = new StoreShard(database, connection, keys);
                        var dna = LogicalDna.Compute(shard, cancellationToken);
                        results.Add(new DrDrillCheck("logical dna " + entry.Database, dna == entry.LogicalDna,
                            dna == entry.LogicalDna ? $"logical DNA {dna} equals the backup's" : $"logical DNA {dna} differs from the backup's {entry.LogicalDna}"));
                    }
                }
                catch (Exception ex) when (ex is ForgeException or SqliteException or InvalidDataException)
                {
                    results.Add(new DrDrillCheck("integrity " + entry.Database, false, ex.Message));
                }
            }
        }
        finally
        {
            keys?.Dispose();
        }

        return results;
    }

    private static async Task<DrDrillCheck> ValidateAsync(Func<string, CancellationToken, Task<(bool Passed, string Detail)>> validation, string scratch, CancellationToken cancellationToken)
    {
        try
        {
            var (passed, detail) = await validation(scratch, cancellationToken).ConfigureAwait(false);
            return new DrDrillCheck("validation", passed, detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DrDrillCheck("validation", false, "the validation failed: " + ex.Message);
        }
    }

    private static void MakeWritable(string folder)
    {
        // A restored tree may hold read-only folders (mode 0555) whose entries could not be deleted otherwise.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Prepend(folder))
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Format(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.##} h")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");
}
