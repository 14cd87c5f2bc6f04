using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Demo;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Evidence;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Backup;
using ForgeOne.Core.Store.Logs;
using ForgeOne.Core.Verification;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// <c>forge demo</c>: the main job on an embedded default, so a fresh clone shows what ForgeOne does: sample data,
/// a repository, a backup, a change, a second backup, verification, a restore checked by its DNA; then a store
/// filled with sample logs, events and blobs, backed up whole, a shard lost and restored by its DNA; a DR drill and a
/// signed evidence package with its report.html; and tables.
/// </summary>
internal static class DemoCommand
{
    internal static Command Create()
    {
        var directory = new Option<string?>("--dir") { Description = "Work here instead of a new temporary folder (kept afterwards)." };
        var command = new Command("demo", "Run a full backup, change, re-backup, verify and restore cycle on generated sample data and print the results.") { directory };
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error,
            () => RunAsync(parse.GetValue(directory), parse.InvocationConfiguration.Output, ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? directory, TextWriter output, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory ?? Directory.CreateTempSubdirectory("forge-demo-").FullName);
        var sample = Path.Combine(root, "sample");
        var repositoryPath = Path.Combine(root, "repository");
        var restorePath = Path.Combine(root, "restored");
        var storePath = Path.Combine(root, "store");
        foreach (var stale in new[] { repositoryPath, restorePath, storePath })
        {
            if (Directory.Exists(stale))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        await output.WriteLineAsync($"ForgeOne demo in {root}").ConfigureAwait(false);
        SampleData.Generate(sample);
        var keyFile = Path.Combine(root, "demo.key");
        KeyFile.Generate(keyFile, force: true);

        using var credentials = RepositoryCredentials.FromKeyFile(keyFile);
        await using var repository = await Repository.InitAsync(ForgeEnvironment.OpenBackend(repositoryPath), credentials, null, cancellationToken).ConfigureAwait(false);
        List<string[]> rows = [];

        var first = await TimedAsync(() => BackupRunner.RunAsync(repository, new BackupOptions { Paths = [sample], Tags = ["demo"] }, null, cancellationToken)).ConfigureAwait(false);
        rows.Add(BackupRow("backup", first.Result, first.Elapsed));

        SampleData.Change(sample);
        var second = await TimedAsync(() => BackupRunner.RunAsync(repository, new BackupOptions { Paths = [sample], Tags = ["demo"] }, null, cancellationToken)).ConfigureAwait(false);
        rows.Add(BackupRow("change + backup", second.Result, second.Elapsed));

        var diff = await BackupDiff.CompareAsync(repository, first.Result.Id!, second.Result.Id!, cancellationToken).ConfigureAwait(false);
        rows.Add(["diff", second.Result.ShortId!, "", "", "", "", "", $"{diff.Added} added, {diff.Removed} removed, {diff.Modified} modified"]);

        var verify = await TimedAsync(() => SnapshotVerifier.VerifyAsync(repository, second.Result, DataSubset.All, null, cancellationToken)).ConfigureAwait(false);
        rows.Add(["verify --read-data", second.Result.ShortId!, "", "", "", "", Seconds(verify.Elapsed), verify.Result.Passed ? $"passed, {verify.Result.ChunksChecked} chunks authenticated" : $"FAILED: {verify.Result.Problems.Count} problems"]);

        var restore = await TimedAsync(() => RestoreRunner.RunAsync(repository, second.Result, new RestoreOptions { Destination = restorePath }, null, cancellationToken)).ConfigureAwait(false);
        rows.Add(["restore", second.Result.ShortId!, Count(restore.Result.Files), Size(restore.Result.Bytes), "", "", Seconds(restore.Elapsed), restore.Result.Verified ? "DNA verified" : "DNA MISMATCH"]);

        await WriteTableAsync(output, ["step", "snapshot", "files", "logical", "new", "stored", "time", "result"], rows).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"DNA of the backup:   {second.Result.DnaHash}").ConfigureAwait(false);
        await output.WriteLineAsync($"DNA of the restore:  {restore.Result.DnaHash}").ConfigureAwait(false);
        await output.WriteLineAsync($"Recompute it without ForgeOne: . docs/dna.sh && forge_dna '{restorePath}'").ConfigureAwait(false);
        await output.WriteLineAsync($"Repository: {repositoryPath} (key file {keyFile})").ConfigureAwait(false);

        var storeOk = await RunStoreAsync(storePath, repository, credentials, output, cancellationToken).ConfigureAwait(false);
        var proofOk = await RunProofAsync(root, repository, credentials, output, cancellationToken).ConfigureAwait(false);
        return verify.Result.Passed && restore.Result.Verified && storeOk && proofOk ? ExitCodes.Success : ExitCodes.DamageFound;
    }

    /// <summary>
    /// The proof half: a DR drill of the newest backup (the store's) against RPO 24 h and RTO 8 h, a retention policy,
    /// then a signed evidence package, verified, with its report.html extracted beside it.
    /// </summary>
    private static async Task<bool> RunProofAsync(string root, Repository repository, RepositoryCredentials credentials, TextWriter output, CancellationToken cancellationToken)
    {
        var drill = await DrDrillRunner.RunAsync(repository, new DrDrillOptions
        {
            RpoObjective = TimeSpan.FromHours(24),
            RtoObjective = TimeSpan.FromHours(8),
            StoreCredentials = credentials,
        }, null, cancellationToken).ConfigureAwait(false);
        await new RepositoryPolicies(repository).SetRetentionPolicyAsync(new RetentionPolicy { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12 }, "demo", cancellationToken).ConfigureAwait(false);
        var evidencePath = Path.Combine(root, "evidence.zip");
        var package = await EvidenceExporter.ExportAsync(repository, new EvidenceOptions { Path = evidencePath, RpoObjective = TimeSpan.FromHours(24), Force = true }, cancellationToken).ConfigureAwait(false);
        var verification = EvidenceVerifier.Verify(evidencePath, package.PublicKey);
        var report = Path.Combine(root, "report.html");
        using (var zip = ZipFile.OpenRead(evidencePath))
        {
            zip.GetEntry(package.Report)!.ExtractToFile(report, overwrite: true);
        }

        var satisfied = package.Controls.Count(control => control.Status == ControlStatus.Satisfied);
        await WriteTableAsync(output, ["proof step", "time", "result"],
        [
            ["drill run --rpo 24h --rto 8h", Seconds(drill.Rto), drill.Passed
                ? string.Create(CultureInfo.InvariantCulture, $"passed {drill.Checks.Count} checks (restore, DNA, integrity and logical DNA of every database, RTO, RPO)")
                : "FAILED: " + string.Join("; ", drill.Failures.Select(check => $"{check.Name}: {check.Detail}"))],
            ["evidence export", "", string.Create(CultureInfo.InvariantCulture, $"{package.Files} files signed with Ed25519 key {package.PublicKey[..16]}…, {satisfied} of {package.Controls.Count} controls satisfied")],
            ["evidence verify", "", verification.Passed ? "signature, every file's BLAKE3 and the audit chain verified" : "FAILED: " + string.Join("; ", verification.Problems)],
        ]).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Evidence package: {evidencePath}").ConfigureAwait(false);
        await output.WriteLineAsync($"Open the auditor's report: {report} (also report.html inside the package)").ConfigureAwait(false);
        return drill.Passed && verification.Passed;
    }

    /// <summary>
    /// The store half of the demo: create a store, ingest sample logs, blobs and events, snapshot system.redb,
    /// back the whole store up (<c>forge backup create --all</c>), lose a shard, restore it
    /// (<c>forge backup restore --target=logs_shard_0.redb</c>) and check it is all back.
    /// </summary>
    private static async Task<bool> RunStoreAsync(string storePath, Repository repository, RepositoryCredentials credentials, TextWriter output, CancellationToken cancellationToken)
    {
        const string Lost = "logs_shard_0.redb";
        List<string[]> rows = [];
        string systemDna;
        Snapshot backup;
        StoreSampleData.Summary summary;
        using (var store = ForgeStore.Create(storePath, credentials))
        {
            var ingest = Stopwatch.StartNew();
            summary = StoreSampleData.Populate(store);
            rows.Add(["store init + ingest", Seconds(ingest.Elapsed), string.Create(CultureInfo.InvariantCulture,
                $"{summary.Logs} log entries, {summary.Events} events, {summary.Blobs} blobs ({Size(summary.BlobBytes)}) over {store.Layout.Databases.Count} databases")]);

            var snapshotClock = Stopwatch.StartNew();
            var snapshot = store.Snapshots.Create("system.redb", cancellationToken: cancellationToken)[0];
            var snapshotCheck = store.Snapshots.Verify(snapshot, cancellationToken);
            systemDna = snapshot.LogicalDna;
            rows.Add(["snapshot create --db=system.redb", Seconds(snapshotClock.Elapsed), snapshotCheck.Passed ? $"DNA {snapshot.LogicalDna[..16]}…, integrity ok" : "FAILED: " + string.Join(" ", snapshotCheck.Problems)]);

            var backupRun = await TimedAsync(() => StoreBackupRunner.RunAsync(store, repository, ["demo"], null, cancellationToken)).ConfigureAwait(false);
            backup = backupRun.Result;
            rows.Add(["backup create --all", Seconds(backupRun.Elapsed), $"snapshot {backup.ShortId}, {backup.Store!.Databases.Count} databases with their logical DNA"]);
        }

        File.Delete(Path.Combine(storePath, Lost));
        rows.Add(["lose " + Lost, "", "file deleted"]);
        var restoreRun = await TimedAsync(() => StoreRestoreRunner.RunAsync(repository, credentials,
            new StoreRestoreOptions { StorePath = storePath, Target = Lost }, null, cancellationToken)).ConfigureAwait(false);
        var restored = restoreRun.Result.Databases[0];
        rows.Add(["backup restore --target=" + Lost, Seconds(restoreRun.Elapsed), $"DNA {restored.LogicalDna[..16]}… verified before it took the name"]);

        long entries;
        using (var store = ForgeStore.Open(storePath, credentials))
        {
            entries = store.Logs.Read(new LogQuery { PageSize = 10_000 }).LongCount();
        }

        var complete = entries == summary.Logs;
        rows.Add(["verify", "", complete ? $"all {entries} log entries readable again" : $"MISSING: {entries} of {summary.Logs} log entries"]);
        await WriteTableAsync(output, ["store step", "time", "result"], rows).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Store: {storePath} (system.redb DNA {systemDna})").ConfigureAwait(false);
        return complete && restoreRun.Result.Verified;
    }

    private static string[] BackupRow(string step, Snapshot snapshot, TimeSpan elapsed) =>
        [step, snapshot.ShortId!, Count(snapshot.Files), Size(snapshot.LogicalBytes), Size(snapshot.AddedBytes), Size(snapshot.StoredBytes), Seconds(elapsed), snapshot.Warnings.Count == 0 ? "ok" : $"{snapshot.Warnings.Count} warnings"];

    private static async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        var result = await action().ConfigureAwait(false);
        return (result, clock.Elapsed);
    }

    private static async Task WriteTableAsync(TextWriter output, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        await output.WriteLineAsync().ConfigureAwait(false);
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])))).ConfigureAwait(false);
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Size(long bytes) => TerminalProgress.Size(bytes);

    private static string Seconds(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00}s");
}
