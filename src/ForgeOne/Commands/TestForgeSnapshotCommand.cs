using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Verification;

namespace ForgeOne.Commands;

/// <summary>Checks that a snapshot is complete and intact, and that its DNA still matches.</summary>
/// <remarks>
/// Test-ForgeSnapshot proves a snapshot restorable without restoring it. By default it reads every directory listing
/// of the snapshot and checks that the index holds every chunk its files need, then recomputes the DNA hash. With
/// -ReadData it also reads, decrypts and authenticates every chunk and recomputes each file's content hash and the DNA
/// from the data itself; -ReadDataSubset reads only part of the data (K/M or P%), so a nightly job can cover all of it
/// over M nights. The result is a SnapshotVerification: Passed is false when anything is missing or damaged, and
/// Problems says what, with the paths of the affected files. A failed check is a result, not an error, so Pester
/// tests and runbooks assert on Passed; errors mean the check itself could not run. Snapshots from Get-ForgeBackup
/// bind by property name.
/// </remarks>
/// <example>
/// <code>Test-ForgeSnapshot -Repository /backup/repo -Latest -ReadData</code>
/// <para>Reads and authenticates every chunk of the newest snapshot.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo | Test-ForgeSnapshot | Where-Object { -not $_.Passed }</code>
/// <para>Checks every snapshot's structure and lists the ones with problems.</para>
/// </example>
/// <example>
/// <code>(Test-ForgeSnapshot -Repository /backup/repo -Id 3f2a91c0 -ReadDataSubset 10%).Problems.Paths</code>
/// <para>Reads a tenth of the snapshot's data and lists the files affected by any damage found.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ForgeSnapshot", DefaultParameterSetName = IdSet)]
[OutputType(typeof(SnapshotVerification))]
public sealed class TestForgeSnapshotCommand : ForgeRepositoryCmdlet
{
    private const string IdSet = "Id";
    private const string LatestSet = "Latest";

    /// <summary>The snapshot: its id, a unique prefix of it, or 'latest'.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Check the newest snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Also read, decrypt and authenticate every chunk, and recompute the content hashes and DNA from the data.</summary>
    [Parameter]
    public SwitchParameter ReadData { get; set; }

    /// <summary>Read only part of the data: 'K/M' (the K-th of M slices, e.g. 1/7) or 'P%' (e.g. 5%). Implies -ReadData.</summary>
    [Parameter]
    [ValidateDataSubset]
    public string? ReadDataSubset { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var id = Latest ? "latest" : Id;
        var subset = ValidateDataSubsetAttribute.Choose(ReadData, ReadDataSubset);
        if (TryRunForItem("Reading snapshot", id, (repository, _, ct) => SnapshotStore.LoadAsync(repository, id, ct), out Snapshot? snapshot)
            && TryRunForItem("Verifying", id, (repository, progress, ct) => SnapshotVerifier.VerifyAsync(repository, snapshot, subset, progress, ct), out SnapshotVerification? result))
        {
            WriteObject(result);
        }
    }
}
