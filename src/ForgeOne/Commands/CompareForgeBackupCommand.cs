using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Commands;

/// <summary>Lists the paths added, removed and changed between two snapshots.</summary>
/// <remarks>
/// Compare-ForgeBackup walks the trees of two snapshots of a repository side by side and writes one
/// SnapshotDifference for each entry that differs: its path (relative, '/'-separated, starting with the backed-up
/// folder's name), the kind of change (Added, Removed, Modified, TypeChanged or MetadataChanged) and its type and size
/// in each snapshot. Parents come before their entries. Only the listings are read, never file contents, so comparing
/// is fast whatever the size of the data. Nothing is written when the snapshots hold the same content. Snapshots are
/// named by id, unique prefix or 'latest'; -DifferenceId binds to the Id of a snapshot piped in.
/// </remarks>
/// <example>
/// <code>Compare-ForgeBackup -Repository /backup/repo -ReferenceId 3f2a91c0 -DifferenceId latest</code>
/// <para>Lists what changed from snapshot 3f2a91c0 to the newest one.</para>
/// </example>
/// <example>
/// <code>$old, $new = Get-ForgeBackup -Repository /backup/repo -Latest 2; Compare-ForgeBackup -Repository /backup/repo $old.Id $new.Id | Where-Object Change -eq Removed</code>
/// <para>Lists the paths the last backup no longer holds.</para>
/// </example>
[Cmdlet(VerbsData.Compare, "ForgeBackup")]
[OutputType(typeof(SnapshotDifference))]
public sealed class CompareForgeBackupCommand : ForgeRepositoryCmdlet
{
    /// <summary>The older snapshot, compared from: its id, a unique prefix of it, or 'latest'.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string ReferenceId { get; set; } = "";

    /// <summary>The newer snapshot, compared to: its id, a unique prefix of it, or 'latest'. Binds to Id by property name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string DifferenceId { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Comparing snapshots", DifferenceId, (repository, _, ct) => BackupDiff.CompareAsync(repository, ReferenceId, DifferenceId, ct), out SnapshotDiff? diff))
        {
            foreach (var difference in diff.Differences)
            {
                WriteObject(difference);
            }
        }
    }
}
