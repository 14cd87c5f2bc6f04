using System.Management.Automation;
using ForgeOne.Core.Retention;

namespace ForgeOne.Commands;

/// <summary>Gets the legal holds standing in a repository.</summary>
/// <remarks>
/// Get-ForgeLegalHold lists every standing hold, oldest first, as LegalHold objects: the held snapshot's id
/// (SnapshotId), the reason, who set it and when. The output pipes into Clear-ForgeLegalHold.
/// </remarks>
/// <example>
/// <code>Get-ForgeLegalHold -Repository /backup/repo</code>
/// <para>Lists every held snapshot and why it is held.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeLegalHold")]
[OutputType(typeof(LegalHold))]
public sealed class GetForgeLegalHoldCommand : ForgeRepositoryCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (TryRunForItem("Reading legal holds", RepositoryLocation, (repository, _, ct) => new RepositoryPolicies(repository).GetHoldsAsync(ct), out var holds))
        {
            foreach (var hold in holds.Values.OrderBy(hold => hold.SetAt))
            {
                WriteObject(WithRepository(hold));
            }
        }
    }
}
