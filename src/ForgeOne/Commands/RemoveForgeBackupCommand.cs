using System.Management.Automation;
using ForgeOne.Core.Retention;

namespace ForgeOne.Commands;

/// <summary>Removes a snapshot from a repository, unless it is under legal hold.</summary>
/// <remarks>
/// Remove-ForgeBackup deletes one snapshot object under the repository's exclusive lock. A snapshot under legal hold
/// (Set-ForgeLegalHold) is refused with the error LegalHold and stays. Only the snapshot goes: the data it alone used
/// stays until Optimize-ForgeRepository (or Invoke-ForgeRetention -Prune) removes it. -Id takes a snapshot id or a
/// unique prefix; snapshots from Get-ForgeBackup bind -Id and -Repository by property name. It asks first (high
/// impact); pass -Confirm:$false in scripts. There is no output.
/// </remarks>
/// <example>
/// <code>Remove-ForgeBackup -Repository /backup/repo -Id 3f2a91c0</code>
/// <para>Removes one snapshot after asking.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -Tag test | Remove-ForgeBackup -Confirm:$false</code>
/// <para>Removes every snapshot tagged test, skipping (with an error) any under legal hold.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ForgeBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveForgeBackupCommand : ForgeRepositoryCmdlet
{
    /// <summary>The snapshot: its id or a unique prefix of it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading snapshot", Id, (repository, _, ct) => repository.ResolveSnapshotIdAsync(Id, ct), out var id)
            && ShouldProcess($"snapshot {id}", "Remove"))
        {
            TryRunForItem("Removing snapshot", Id, (repository, _, ct) => SnapshotForgetter.RemoveAsync(repository, id, ct), out _);
        }
    }
}
