using System.Management.Automation;
using ForgeOne.Core.Prune;

namespace ForgeOne.Commands;

/// <summary>Removes the data no snapshot references any more (prune), freeing space.</summary>
/// <remarks>
/// <para>Optimize-ForgeRepository walks every snapshot's trees under the repository's exclusive lock to find the data
/// in use, deletes the packs none of whose blobs are used, and rewrites the packs whose used share is below
/// -RepackBelowUsage (default 0.8) with only their used blobs. It is safe to interrupt at any point: new packs and a
/// new index are written before anything old is deleted. If any snapshot or tree cannot be read, it refuses to change
/// anything (error PruneRefused), since it could not tell what is in use.</para>
/// <para>The output is a PruneResult: bytes freed, packs deleted, rewritten and written, blobs removed, and the
/// duration. With -WhatIf nothing changes and the PruneResult (DryRun true) says what a prune would free.</para>
/// </remarks>
/// <example>
/// <code>Optimize-ForgeRepository -Repository /backup/repo -WhatIf</code>
/// <para>Shows how many bytes a prune would free, changing nothing.</para>
/// </example>
/// <example>
/// <code>Optimize-ForgeRepository -Repository /backup/repo -RepackBelowUsage 0.5</code>
/// <para>Prunes, rewriting only packs that are more than half unused.</para>
/// </example>
[Cmdlet(VerbsCommon.Optimize, "ForgeRepository", SupportsShouldProcess = true)]
[OutputType(typeof(PruneResult))]
public sealed class OptimizeForgeRepositoryCommand : ForgeRepositoryCmdlet
{
    /// <summary>Rewrite packs whose used share of bytes is below this, 0 (never) to 1 (any unused blob); default 0.8.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double RepackBelowUsage { get; set; } = 0.8;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var location = RepositoryLocation;
        var approved = ShouldProcess($"Prune {location}: remove the data no snapshot references.",
            $"Remove the data no snapshot references from {location}?", "Optimize-ForgeRepository", out var reason);
        if (!approved && reason != ShouldProcessReason.WhatIf)
        {
            return;
        }

        // Under -WhatIf the prune plans only, so the output shows what it would free.
        var options = new PruneOptions { RepackBelowUsage = RepackBelowUsage, DryRun = !approved };
        if (TryRunForItem("Pruning", location, (repository, progress, ct) => RepositoryPruner.PruneAsync(repository, options, progress, ct), out var result))
        {
            WriteObject(result);
        }
    }
}
