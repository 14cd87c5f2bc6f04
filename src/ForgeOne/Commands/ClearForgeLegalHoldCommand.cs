using System.Management.Automation;
using ForgeOne.Core.Retention;

namespace ForgeOne.Commands;

/// <summary>Lifts the legal hold on a snapshot, so its retention policy applies to it again.</summary>
/// <remarks>
/// Clear-ForgeLegalHold removes the hold Set-ForgeLegalHold put on a snapshot; the snapshot itself stays until a
/// retention run or Remove-ForgeBackup removes it. -Id takes a snapshot id or a unique prefix of it; holds from
/// Get-ForgeLegalHold and snapshots from Get-ForgeBackup bind by property name. The output is the hold lifted; a
/// snapshot that was not held gives a warning and no output.
/// </remarks>
/// <example>
/// <code>Clear-ForgeLegalHold -Repository /backup/repo -Id 3f2a91c0</code>
/// <para>Lifts the hold on one snapshot.</para>
/// </example>
/// <example>
/// <code>Get-ForgeLegalHold -Repository /backup/repo | Where-Object Reason -eq 'case 2026-042' | Clear-ForgeLegalHold -Repository /backup/repo</code>
/// <para>Lifts every hold of a closed case.</para>
/// </example>
[Cmdlet(VerbsCommon.Clear, "ForgeLegalHold", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LegalHold))]
public sealed class ClearForgeLegalHoldCommand : ForgeRepositoryCmdlet
{
    /// <summary>The snapshot: its id or a unique prefix of it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("SnapshotId")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading snapshot", Id, (repository, _, ct) => repository.ResolveSnapshotIdAsync(Id, ct), out var id)
            && ShouldProcess($"snapshot {id}", "Lift the legal hold")
            && TryRunForItem("Clearing legal hold", Id, (repository, _, ct) => new RepositoryPolicies(repository).ClearHoldAsync(id, ct), out var hold))
        {
            if (hold is null)
            {
                WriteWarning($"Snapshot {id} is not under legal hold; nothing was changed.");
                return;
            }

            WriteObject(hold);
        }
    }
}
