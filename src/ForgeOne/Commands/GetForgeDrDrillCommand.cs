using System.Management.Automation;
using ForgeOne.Core.Drills;

namespace ForgeOne.Commands;

/// <summary>Gets the disaster-recovery drills recorded in a repository.</summary>
/// <remarks>
/// Every drill Invoke-ForgeDrDrill runs is kept in the repository, sealed, so auditors can see each one of a period.
/// Get-ForgeDrDrill lists them oldest first as DrDrillResult objects (Passed, Rto, Rpo, objectives, Checks, SnapshotId,
/// DnaHash, Time); -Last keeps only the newest few. The output pipes into Export-ForgeEvidence.
/// </remarks>
/// <example>
/// <code>Get-ForgeDrDrill -Repository /backup/repo</code>
/// <para>Lists every drill run against the repository, oldest first.</para>
/// </example>
/// <example>
/// <code>Get-ForgeDrDrill -Repository /backup/repo | Where-Object { -not $_.Passed }</code>
/// <para>Lists the drills that failed a check.</para>
/// </example>
/// <example>
/// <code>Get-ForgeDrDrill -Repository /backup/repo -Last 1</code>
/// <para>Shows the newest drill.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeDrDrill")]
[OutputType(typeof(DrDrillResult))]
public sealed class GetForgeDrDrillCommand : ForgeRepositoryCmdlet
{
    /// <summary>Keep only the newest this many drills.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading drills", RepositoryLocation, (repository, _, ct) => DrDrillRunner.ListAsync(repository, ct), out var drills))
        {
            // By start time: ids have whole seconds, so drills of the same second would list in random order.
            var ordered = drills.OrderBy(drill => drill.Time).ToList();
            foreach (var drill in Last > 0 ? ordered.Skip(Math.Max(0, ordered.Count - Last)) : ordered)
            {
                WriteObject(WithRepository(drill));
            }
        }
    }
}
