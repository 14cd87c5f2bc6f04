using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Restore;
using ForgeOne.Core.Snapshots;

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
[Cmdlet(VerbsData.Restore, "ForgeBackup", DefaultParameterSetName = IdSet, SupportsShouldProcess = true)]
[OutputType(typeof(RestoreResult))]
public sealed class RestoreForgeBackupCommand : ForgeRepositoryCmdlet
{
    private const string IdSet = "Id";
    private const string LatestSet = "Latest";
    private string _destination = "";

    /// <summary>The snapshot: its id, a unique prefix of it, or 'latest'.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Restore the newest snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>The folder to restore into; created if missing.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Globs of snapshot paths to restore ('site/config/*'); a folder includes everything in it. By default everything.</summary>
    [Parameter]
    public string[] Include { get; set; } = [];

    /// <summary>Globs of snapshot paths to leave out ('*.log').</summary>
    [Parameter]
    public string[] Exclude { get; set; } = [];

    /// <summary>Replace files that exist at the destination; without it they are left alone and reported.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
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

    private static string Describe(Snapshot snapshot) => string.Create(CultureInfo.InvariantCulture,
        $"Restore snapshot {snapshot.ShortId} of {snapshot.Host} from {snapshot.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({snapshot.Files} files, {snapshot.LogicalBytes} bytes)");
}
