using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store.Backup;

namespace ForgeOne.Commands;

/// <summary>Restores a snapshot, or part of it, into a folder, checking everything it writes.</summary>
/// <remarks>
/// Restore-ForgeBackup writes the files, folders and symbolic links of a snapshot under -Destination (created if
/// missing), each backed-up path as a folder or file named as it was. Every chunk is authenticated as it is read, and
/// every file is written under a temporary name, checked against the content hash the snapshot recorded, given its
/// mode, times and owner, and only then renamed into place, so a damaged or interrupted restore never leaves a wrong
/// file under a real name. When the destination started empty, the DNA hash of the restored tree is recomputed and
/// compared with the snapshot's (Verified and DnaHash in the result). Files that exist at the destination are left
/// alone unless you pass -Force. Each file that failed or was skipped is written as a non-terminating error
/// (RestoreFailed or DestinationExists), and the RestoreResult still comes out, listing them in Failed and Skipped.
/// -Include and -Exclude take globs of paths in the snapshot. Snapshots from Get-ForgeBackup bind by property name.
/// <para>With -Store and -Target, it restores databases of a store from a store backup (New-ForgeBackup -Store): one
/// file such as logs_shard_0.redb, a kind (system, logs, blobs, events) or All, from the newest backup of that store
/// or the one -Id names. Nobody may have the store open meanwhile (StoreInUse otherwise). Each file is read from the
/// repository into a staging folder inside the store and checked (identity, region, integrity and logical DNA against
/// the backup's manifest) before anything is replaced; a failed check is a StoreRestoreVerificationFailed error and
/// leaves the store as it was. Each replaced file is kept beside it under a dated .previous name. The subject-key
/// vault is never restored, so erased subjects stay erased. The store's keys come from -StoreKeyFile or
/// -StoreCredential, else FORGE_STORE_KEYFILE, FORGE_STORE_PASSPHRASE or the config file's store-key-file. The output
/// is a StoreRestoreResult listing each restored database with its verified DNA.</para>
/// </remarks>
/// <example>
/// <code>Restore-ForgeBackup -Repository /backup/repo -Latest -Destination /srv/restore</code>
/// <para>Restores the newest snapshot and verifies its DNA.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -Tag nightly -Latest 1 | Restore-ForgeBackup -Destination ./r -Include 'site/config/*'</code>
/// <para>Restores the config folder of the newest nightly snapshot.</para>
/// </example>
/// <example>
/// <code>Restore-ForgeBackup -Repository /backup/repo -Id 3f2a91c0 -Destination /srv/data -Force -WhatIf</code>
/// <para>Shows what would be restored over /srv/data, without writing anything.</para>
/// </example>
/// <example>
/// <code>Restore-ForgeBackup -Repository /backup/repo -KeyFile ./forge.key -Store /var/lib/forgeone/store -StoreKeyFile ./store.key -Target logs_shard_0.redb</code>
/// <para>Puts back one lost log shard from the newest backup of the store, verified against its logical DNA.</para>
/// </example>
[Cmdlet(VerbsData.Restore, "ForgeBackup", DefaultParameterSetName = IdSet, SupportsShouldProcess = true)]
[OutputType(typeof(RestoreResult), ParameterSetName = new[] { IdSet, LatestSet })]
[OutputType(typeof(StoreRestoreResult), ParameterSetName = new[] { StoreSet })]
public sealed class RestoreForgeBackupCommand : ForgeRepositoryCmdlet
{
    private const string IdSet = "Id";
    private const string LatestSet = "Latest";
    private const string StoreSet = "Store";
    private string _destination = "";

    /// <summary>The snapshot: its id, a unique prefix of it, or 'latest'. With -Store, the store backup to restore from; by default the newest of that store.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = StoreSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Restore the newest snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>The folder to restore into; created if missing.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Globs of snapshot paths to restore ('site/config/*'); a folder includes everything in it. By default everything.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = LatestSet)]
    public string[] Include { get; set; } = [];

    /// <summary>Globs of snapshot paths to leave out ('*.log').</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = LatestSet)]
    public string[] Exclude { get; set; } = [];

    /// <summary>Replace files that exist at the destination; without it they are left alone and reported.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = LatestSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Restore databases of this store (its folder) from a store backup, instead of files into -Destination.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = "";

    /// <summary>With -Store: what to restore, All, a kind (system, logs, blobs, events) or one file such as logs_shard_0.redb.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "";

    /// <summary>With -Store: the store passphrase as a PSCredential; by default FORGE_STORE_PASSPHRASE.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    /// <summary>With -Store: a key file that opens the store; by default FORGE_STORE_KEYFILE, then the config file's store-key-file.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string? StoreKeyFile { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName == StoreSet)
        {
            base.BeginProcessing();
            return;
        }

        try
        {
            _destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            // Every snapshot would go to the same unusable place.
            ThrowTerminating(ex, Destination);
        }

        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == StoreSet)
        {
            RestoreStore();
            return;
        }

        var id = Latest ? "latest" : Id;
        var destination = _destination;
        if (!TryRunForItem("Reading snapshot", id, (repository, _, ct) => SnapshotStore.LoadAsync(repository, id, ct), out Snapshot? snapshot)
            || !ShouldProcess(destination, Describe(snapshot)))
        {
            return;
        }

        var options = new RestoreOptions { Destination = destination, Include = Include, Exclude = Exclude, Force = Force };
        if (!TryRunForItem("Restoring", id, (repository, progress, ct) => RestoreRunner.RunAsync(repository, snapshot, options, progress, ct), out RestoreResult? result))
        {
            return;
        }

        foreach (var skipped in result.Skipped)
        {
            var exception = new IOException($"'{skipped.Path}' was not restored: it {skipped.Reason}.");
            WriteError(new ErrorRecord(exception, "DestinationExists", ErrorCategory.ResourceExists, skipped.Path));
        }

        foreach (var failed in result.Failed)
        {
            var exception = failed.Exception ?? new IOException(failed.Reason);
            WriteError(new ErrorRecord(exception, "RestoreFailed", ErrorMap.Classify(exception).Category, failed.Path)
            {
                // Core's message may name only a pack or chunk; say which file it cost.
                ErrorDetails = new ErrorDetails($"'{failed.Path}' was not restored: {failed.Reason}"),
            });
        }

        if (result.DnaHash is not null && !result.Verified && result.Failed.Count == 0)
        {
            var exception = new InvalidDataException(
                $"The restored tree's DNA {result.DnaHash} differs from the snapshot's {result.DnaExpected}; a restored file or folder does not match the backup. Run Test-ForgeSnapshot -ReadData on snapshot {snapshot.ShortId}.");
            WriteError(new ErrorRecord(exception, "DnaMismatch", ErrorCategory.InvalidResult, result.Destination));
        }

        WriteObject(result);
    }

    private void RestoreStore()
    {
        string location;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Store);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            WriteItemError(ex, Store);
            return;
        }

        var from = string.IsNullOrEmpty(Id) ? "the newest backup of the store" : $"store backup {Id}";
        if (!ShouldProcess(location, $"Restore {Target} from {from}, replacing the live files (kept as .previous)"))
        {
            return;
        }

        var options = new StoreRestoreOptions { StorePath = location, Target = Target, SnapshotId = string.IsNullOrEmpty(Id) ? null : Id };
        try
        {
            using var credentials = CredentialReader.RequireStore(
                StoreCredential, StoreKeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StoreKeyFile));
            if (TryRunForItem("Restoring store", location, (repository, progress, ct) => StoreRestoreRunner.RunAsync(repository, credentials, options, progress, ct), out StoreRestoreResult? result))
            {
                WriteObject(result);
            }
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is System.Data.Common.DbException)
        {
            WriteItemError(ex, location);
        }
    }

    private static string Describe(Snapshot snapshot) => string.Create(CultureInfo.InvariantCulture,
        $"Restore snapshot {snapshot.ShortId} of {snapshot.Host} from {snapshot.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({snapshot.Files} files, {snapshot.LogicalBytes} bytes)");
}
