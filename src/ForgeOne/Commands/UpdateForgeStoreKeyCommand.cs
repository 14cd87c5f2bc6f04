using System.Globalization;
using System.Management.Automation;
using ForgeOne.Core.Progress;
using ForgeOne.Core.Store.Rotation;

namespace ForgeOne.Commands;

/// <summary>Rotates a store's record key: adds a key epoch for new records and re-seals the existing ones under it.</summary>
/// <remarks>
/// <para>Update-ForgeStoreKey adds a key epoch, which seals every record written from then on, and re-seals every
/// record of every database under it in batches (-BatchSize records per transaction), recompressing them with the
/// newest dictionary on the way. The store stays in use meanwhile. Progress is kept in system.redb after each
/// batch: if the command is stopped (Ctrl+C) or killed, the next Update-ForgeStoreKey resumes that rotation instead
/// of adding another epoch (Resumed in the result). Completed is false when records kept arriving under the old epoch
/// from a process that had the store open before the rotation; run it again.</para>
/// <para>Earlier epoch keys are kept, so snapshots and backups taken before still open: rotation limits how much data
/// one key has sealed; it does not make old backups unreadable (Remove-ForgeSubjectKey does, for a subject). The
/// output is a StoreKeyRotationResult.</para>
/// </remarks>
/// <example>
/// <code>Update-ForgeStoreKey -Store ./store -KeyFile ./store.key</code>
/// <para>Rotates the store's record key and re-seals every record.</para>
/// </example>
/// <example>
/// <code>Update-ForgeStoreKey -BatchSize 200 -Confirm:$false</code>
/// <para>Rotates the key of the store named by FORGE_STORE in small transactions, so writers wait less.</para>
/// </example>
[Cmdlet(VerbsData.Update, "ForgeStoreKey", SupportsShouldProcess = true)]
[OutputType(typeof(StoreKeyRotationResult))]
public sealed class UpdateForgeStoreKeyCommand : ForgeStoreCmdlet
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Records re-sealed per transaction, 1 to 100000; default 1000. Smaller batches hold a database's write lock for less time.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int BatchSize { get; set; } = StoreKeyRotation.DefaultBatchSize;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var pending = StoreKeyRotation.IsPending(store);
        if (!ShouldProcess(store.Path, pending ? "Resume the unfinished key rotation" : "Rotate the record key and re-seal every record"))
        {
            return;
        }

        var activityId = GetType().Name.GetHashCode(StringComparison.Ordinal) & 0x7fff;
        var lastShown = DateTime.MinValue;
        try
        {
            // Core reports on the calling thread, so running here lets each report become a WriteProgress directly.
            var result = new StoreKeyRotation(store).Run(BatchSize, new SynchronousProgress<StoreKeyRotationProgress>(report =>
            {
                if (DateTime.UtcNow - lastShown >= ProgressInterval)
                {
                    lastShown = DateTime.UtcNow;
                    WriteProgress(new ProgressRecord(activityId, "Rotating store key", string.Create(CultureInfo.InvariantCulture,
                        $"Epoch {report.Epoch}, pass {report.Pass}: {report.RecordsResealed} records re-sealed"))
                    {
                        CurrentOperation = report.Database + " " + report.Table,
                    });
                }
            }), CancellationToken);
            WriteProgress(new ProgressRecord(activityId, "Rotating store key", "Done") { RecordType = ProgressRecordType.Completed });
            WriteObject(result);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, store.Path);
        }
    }
}
