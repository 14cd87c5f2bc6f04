using System.Management.Automation;
using ForgeOne.Core.Store.Statistics;

namespace ForgeOne.Commands;

/// <summary>Gets a store's identity and statistics: records, bytes on disk and compression, per database file.</summary>
/// <remarks>
/// Get-ForgeStore opens the store and reads every database file: the rows of its main tables, its size on disk
/// (with the write-ahead log), the bytes of its sealed values, the key epochs in use and whether it has a trained
/// compression dictionary. The plaintext size and compression ratio are estimates: up to 500 records per file are
/// opened and their ratio of plaintext to sealed size is applied to the whole file. The per-file rows are in the
/// Databases property; the store totals are on the object itself.
/// </remarks>
/// <example>
/// <code>Get-ForgeStore -Store /var/lib/forgeone/store -KeyFile ~/.forge/store.key</code>
/// <para>Shows the store's id, region, record count, size and compression ratio.</para>
/// </example>
/// <example>
/// <code>(Get-ForgeStore).Databases | Where-Object Kind -eq Logs</code>
/// <para>Lists the log shards of the store named by FORGE_STORE (or the config file), one row each.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeStore")]
[OutputType(typeof(StoreStatistics))]
public sealed class GetForgeStoreCommand : ForgeStoreCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        try
        {
            WriteObject(RunOperation("Reading store statistics", (_, _) => Task.FromResult(store.GetStatistics())));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, store.Path);
        }
    }
}
