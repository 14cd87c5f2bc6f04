using System.Management.Automation;
using ForgeOne.Core.Verification;

namespace ForgeOne.Commands;

/// <summary>Checks a repository's structure and, optionally, its data.</summary>
/// <remarks>
/// Test-ForgeRepository reads every snapshot and directory listing and checks them against the index, and checks that
/// every pack the index lists exists with the right size and a header that agrees with the index. With -ReadData it
/// also reads every pack in full, checks that it hashes to its name and authenticates every blob in it;
/// -ReadDataSubset reads only part of the packs (K/M or P%), so the whole repository can be covered over several runs.
/// The result is a RepositoryCheckResult: Passed is false when anything is missing or damaged, and Problems names each
/// damaged object with the snapshots and file paths it affects. A failed check is a result, not an error; errors mean
/// the check could not run (wrong credentials, no repository). Packs no index lists are counted as unreferenced:
/// leftovers of interrupted backups, not damage.
/// </remarks>
/// <example>
/// <code>Test-ForgeRepository -Repository /backup/repo -KeyFile ~/.forge/ci.key</code>
/// <para>Checks the repository's structure without reading pack contents.</para>
/// </example>
/// <example>
/// <code>$day = (Get-Date).DayOfYear % 30 + 1; Test-ForgeRepository -Repository /backup/repo -ReadDataSubset "$day/30"</code>
/// <para>Reads a thirtieth of the packs each day, covering the whole repository every month.</para>
/// </example>
/// <example>
/// <code>$check = Test-ForgeRepository -Repository /backup/repo -ReadData; if (-not $check.Passed) { $check.Problems }</code>
/// <para>Reads every pack and shows what is damaged, if anything.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ForgeRepository")]
[OutputType(typeof(RepositoryCheckResult))]
public sealed class TestForgeRepositoryCommand : ForgeRepositoryCmdlet
{
    /// <summary>Also read every pack in full, check its hash and authenticate every blob.</summary>
    [Parameter]
    public SwitchParameter ReadData { get; set; }

    /// <summary>Read only part of the packs: 'K/M' (the K-th of M slices, e.g. 1/30) or 'P%' (e.g. 5%). Implies -ReadData.</summary>
    [Parameter]
    [ValidateDataSubset]
    public string? ReadDataSubset { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var subset = ValidateDataSubsetAttribute.Choose(ReadData, ReadDataSubset);
        if (TryRunForItem("Checking repository", RepositoryLocation, (repository, progress, ct) => RepositoryChecker.CheckAsync(repository, subset, progress, ct), out RepositoryCheckResult? result))
        {
            WriteObject(result);
        }
    }
}
