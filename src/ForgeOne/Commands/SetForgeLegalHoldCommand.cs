using System.Management.Automation;
using ForgeOne.Core.Retention;

namespace ForgeOne.Commands;

/// <summary>Puts a snapshot under legal hold, so that no retention policy and no direct delete removes it.</summary>
/// <remarks>
/// Set-ForgeLegalHold stores a hold on the snapshot in the repository with the -Reason (a case number, say), who set
/// it and when. While the hold stands, Invoke-ForgeRetention keeps the snapshot whatever its policy says (naming the
/// hold among the reasons), Remove-ForgeBackup refuses it (error LegalHold), and a prune keeps its data. Clear-ForgeLegalHold
/// lifts it. Setting a hold that stands already returns that hold unchanged. -Id takes a snapshot id or a unique prefix
/// of it; snapshots from Get-ForgeBackup bind -Id and -Repository by property name. The output is the LegalHold.
/// </remarks>
/// <example>
/// <code>Set-ForgeLegalHold -Repository /backup/repo -Id 3f2a91c0 -Reason 'case 2026-042'</code>
/// <para>Holds one snapshot for a legal case.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo -HostName db01 | Set-ForgeLegalHold -Reason 'audit 2026'</code>
/// <para>Holds every snapshot of host db01.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ForgeLegalHold", SupportsShouldProcess = true)]
[OutputType(typeof(LegalHold))]
public sealed class SetForgeLegalHoldCommand : ForgeRepositoryCmdlet
{
    /// <summary>The snapshot: its id or a unique prefix of it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Why the snapshot is held, for example a case number.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading snapshot", Id, (repository, _, ct) => repository.ResolveSnapshotIdAsync(Id, ct), out var id)
            && ShouldProcess($"snapshot {id}", $"Put under legal hold ({Reason})")
            && TryRunForItem("Setting legal hold", Id, (repository, _, ct) => new RepositoryPolicies(repository).SetHoldAsync(id, Reason, Environment.UserName, ct), out var hold))
        {
            WriteObject(hold);
        }
    }
}
