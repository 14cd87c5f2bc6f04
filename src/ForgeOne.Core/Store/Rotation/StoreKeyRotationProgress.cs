namespace ForgeOne.Core.Store.Rotation;

/// <summary>Reported after each committed batch of a key rotation.</summary>
/// <param name="Epoch">The epoch records are re-sealed under.</param>
/// <param name="Database">The database file the batch was in, for example <c>logs_shard_0.redb</c>.</param>
/// <param name="Table">The table the batch was in.</param>
/// <param name="BatchRecords">Records re-sealed by the batch.</param>
/// <param name="RecordsResealed">Records re-sealed by this run so far.</param>
/// <param name="Pass">1 for the first walk over the store; more when records sealed under the old epoch kept arriving.</param>
public sealed record StoreKeyRotationProgress(int Epoch, string Database, string Table, int BatchRecords, long RecordsResealed, int Pass);
