using System.Management.Automation;
using ForgeOne.Core.Store.Snapshots;

namespace ForgeOne.Commands;

/// <summary>Gets the recorded snapshots of a store's databases.</summary>
/// <remarks>
/// Get-ForgeSnapshot lists the snapshots New-ForgeSnapshot recorded in the store's system.redb, oldest first, one
/// StoreSnapshot per database copy: the set's Id, the Database file name, when it was taken, where the copy is, its
/// size, its logical DNA and what the integrity check said. -Id picks one set (a unique prefix is enough), and
/// -Database one database of it; an id that fits no set, or several, is a StoreSnapshotNotFound error. The output
/// pipes into Test-ForgeSnapshot -Store, which binds Id and Database by property name.
/// </remarks>
/// <example>
/// <code>Get-ForgeSnapshot -Store ./store -KeyFile ./store.key</code>
/// <para>Lists every snapshot of the store.</para>
/// </example>
/// <example>
/// <code>Get-ForgeSnapshot -Id 20261124T1426 | Test-ForgeSnapshot -Store $env:FORGE_STORE</code>
/// <para>Verifies every database copy of one snapshot set of the store named by FORGE_STORE.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeSnapshot")]
[OutputType(typeof(StoreSnapshot))]
public sealed class GetForgeSnapshotCommand : ForgeStoreCmdlet
{
    /// <summary>The snapshot set's id, or a unique prefix of it; by default every snapshot.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>One database of the set, by file name (for example logs_shard_0.redb); needs -Id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        try
        {
            if (Id is null && Database is not null)
            {
                throw new ArgumentException($"-Database {Database} picks one database of a snapshot set; give the set with -Id.");
            }

            WriteObject(Id is null ? store.Snapshots.List() : store.Snapshots.Find(Id, Database), enumerateCollection: true);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, Id ?? store.Path);
        }
    }
}
