using System.Management.Automation;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Snapshots;
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
/// <para>With -Store, it checks store snapshots instead (New-ForgeSnapshot, Get-ForgeSnapshot): for each database
/// copy of the set -Id (or only -Database), SQLite's integrity check and the logical DNA recomputed from the copy's
/// decrypted content, against the DNA recorded when it was taken. The result is a StoreSnapshotVerification per
/// database, again with Passed and Problems. Store snapshots piped in bind Id and Database by property name. The
/// store opens with -StoreKeyFile or -StoreCredential, else -KeyFile or -Credential (there is no repository in this
/// case), else FORGE_STORE_KEYFILE and the other store defaults (about_ForgeOne).</para>
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
/// <example>
/// <code>New-ForgeSnapshot -Store ./store -KeyFile ./store.key | Test-ForgeSnapshot -Store ./store -KeyFile ./store.key</code>
/// <para>Snapshots every database of a store and verifies each copy's integrity and logical DNA.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ForgeSnapshot", DefaultParameterSetName = IdSet)]
[OutputType(typeof(SnapshotVerification), ParameterSetName = new[] { IdSet, LatestSet })]
[OutputType(typeof(StoreSnapshotVerification), ParameterSetName = new[] { StoreSet })]
public sealed class TestForgeSnapshotCommand : ForgeRepositoryCmdlet
{
    private const string IdSet = "Id";
    private const string LatestSet = "Latest";
    private const string StoreSet = "Store";

    private readonly Dictionary<string, ForgeStore> _stores = new(StringComparer.Ordinal);

    /// <summary>The snapshot: its id, a unique prefix of it, or 'latest'; with -Store, the store snapshot set's id or a unique prefix of it.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = StoreSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Check snapshots of this store (New-ForgeSnapshot) instead of a repository's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = "";

    /// <summary>With -Store: check only this database of the set, by file name (for example logs_shard_0.redb); by default all of them.</summary>
    [Parameter(ParameterSetName = StoreSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>With -Store: the store passphrase as a PSCredential; by default -Credential, then FORGE_STORE_PASSPHRASE.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [Credential]
    public PSCredential? StoreCredential { get; set; }

    /// <summary>With -Store: a key file that opens the store; by default -KeyFile, then FORGE_STORE_KEYFILE.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string? StoreKeyFile { get; set; }

    /// <summary>Check the newest snapshot.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Also read, decrypt and authenticate every chunk, and recompute the content hashes and DNA from the data.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = LatestSet)]
    public SwitchParameter ReadData { get; set; }

    /// <summary>Read only part of the data: 'K/M' (the K-th of M slices, e.g. 1/7) or 'P%' (e.g. 5%). Implies -ReadData.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = LatestSet)]
    [ValidateDataSubset]
    public string? ReadDataSubset { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == StoreSet)
        {
            VerifyStoreSnapshots();
            return;
        }

        var id = Latest ? "latest" : Id;
        var subset = ValidateDataSubsetAttribute.Choose(ReadData, ReadDataSubset);
        if (TryRunForItem("Reading snapshot", id, (repository, _, ct) => SnapshotStore.LoadAsync(repository, id, ct), out Snapshot? snapshot)
            && TryRunForItem("Verifying", id, (repository, progress, ct) => SnapshotVerifier.VerifyAsync(repository, snapshot, subset, progress, ct), out SnapshotVerification? result))
        {
            WriteObject(result);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        CloseStores();
        base.EndProcessing();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseStores();
        }

        base.Dispose(disposing);
    }

    private void VerifyStoreSnapshots()
    {
        ForgeStore store;
        try
        {
            store = OpenStore();
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is NotSupportedException or Core.Configuration.ForgeConfigException)
        {
            // The same store and keys serve every item, so nothing else can succeed.
            ThrowTerminating(ex, Store);
            throw;
        }

        try
        {
            foreach (var snapshot in store.Snapshots.Find(Id, Database))
            {
                WriteObject(RunOperation("Verifying store snapshot", (_, ct) => Task.FromResult(store.Snapshots.Verify(snapshot, ct))));
            }
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is System.Data.Common.DbException)
        {
            WriteItemError(ex, Id);
        }
    }

    private ForgeStore OpenStore()
    {
        var location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Store);
        if (!_stores.TryGetValue(location, out var store))
        {
            var keyFile = StoreKeyFile ?? (StoreCredential is null ? KeyFile : null);
            using var credentials = CredentialReader.RequireStore(
                StoreCredential ?? (StoreKeyFile is null ? Credential : null),
                keyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(keyFile));
            store = ForgeStore.Open(location, credentials);
            _stores[location] = store;
        }

        return store;
    }

    private void CloseStores()
    {
        foreach (var store in _stores.Values)
        {
            store.Dispose();
        }

        _stores.Clear();
    }
}
