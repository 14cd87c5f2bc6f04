using System.Management.Automation;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Store.Snapshots;

namespace ForgeOne.Commands;

/// <summary>Takes a point-in-time snapshot of a store's databases, with the logical DNA of each.</summary>
/// <remarks>
/// New-ForgeSnapshot copies each chosen database with SQLite's VACUUM INTO, which reads inside one read transaction:
/// writers carry on while it runs, and the copy is the database as of that instant. Each copy is written under a
/// temporary name in the store's snapshots/&lt;id&gt;/ folder, made self-contained, checked with PRAGMA
/// integrity_check, hashed (its logical DNA, the BLAKE3 of its decrypted content in canonical order) and renamed, then
/// recorded in system.redb. One StoreSnapshot per database is output; they share one Id, and pipe into
/// Test-ForgeSnapshot -Store, which recomputes the DNA.
/// </remarks>
/// <example>
/// <code>New-ForgeSnapshot -Store ./store -KeyFile ./store.key</code>
/// <para>Snapshots every database of the store.</para>
/// </example>
/// <example>
/// <code>New-ForgeSnapshot -Database logs | Test-ForgeSnapshot -Store $env:FORGE_STORE</code>
/// <para>Snapshots the log shards of the store named by FORGE_STORE and verifies the copies.</para>
/// </example>
/// <example>
/// <code>New-ForgeSnapshot -Store ./store -KeyFile ./store.key -Database system.redb</code>
/// <para>Snapshots only system.redb.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ForgeSnapshot", SupportsShouldProcess = true)]
[OutputType(typeof(StoreSnapshot))]
public sealed class NewForgeSnapshotCommand : ForgeStoreCmdlet
{
    /// <summary>Which databases: All (the default), a kind (system, logs, blobs, events) or a file name such as logs_shard_0.redb.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = "All";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (!ShouldProcess(store.Path, $"Snapshot {Database}"))
        {
            return;
        }

        try
        {
            var count = store.Layout.Select(Database).Count;
            var snapshots = RunOperation("Snapshotting store", (progress, ct) =>
            {
                var started = DateTimeOffset.UtcNow;
                var done = 0;
                return Task.FromResult(store.Snapshots.Create(Database,
                    new SynchronousProgress<string>(database => progress.Report(
                        new OperationProgress("Snapshotting store", database, done++, count, 0, null, DateTimeOffset.UtcNow - started))),
                    ct));
            });
            WriteObject(snapshots, enumerateCollection: true);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, Database);
        }
    }
}
