using ForgeOne.Core.Store.Retention;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// Retention for blobs: a blob whose <see cref="BlobMetadata.CreatedAt"/> is before the cutoff goes, with the
/// chunks no other blob uses. Blob metadata is sealed, so planning opens every blob's metadata in the shard;
/// stores hold far fewer blobs than log entries, so this stays cheap.
/// </summary>
public sealed class BlobRetentionTarget : IRetentionTarget
{
    private readonly ForgeStore _store;

    /// <summary>Creates the target for a store.</summary>
    /// <param name="store">The store whose blobs it removes.</param>
    public BlobRetentionTarget(ForgeStore store) => _store = store;

    /// <inheritdoc/>
    public StoreDatabaseKind Kind => StoreDatabaseKind.Blobs;

    /// <inheritdoc/>
    public StoreRetentionPlanItem Plan(StoreShard shard, DateTimeOffset cutoff, int maxIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        var expired = Expired(shard, cutoff, cancellationToken);
        return new StoreRetentionPlanItem(
            shard.Database.FileName, Kind, cutoff, expired.Count,
            expired.Count > 0 ? expired.Min(blob => blob.CreatedAt) : null,
            expired.Count > 0 ? expired.Max(blob => blob.CreatedAt) : null,
            [.. expired.Take(maxIds).Select(blob => blob.Id)],
            expired.Count > maxIds);
    }

    /// <inheritdoc/>
    public long Delete(StoreShard shard, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        long deleted = 0;
        foreach (var blob in Expired(shard, cutoff, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_store.Blobs.Remove(blob.Name))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private List<BlobMetadata> Expired(StoreShard shard, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var expired = new List<BlobMetadata>();
        using var command = shard.Connection.CreateCommand();
        command.CommandText = "SELECT id, value FROM blob_metadata ORDER BY id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var blob = BlobRecords.OpenMetadata(shard, reader.GetInt64(0), (byte[])reader.GetValue(1), _store.Subjects);
            if (blob.CreatedAt < cutoff)
            {
                expired.Add(blob);
            }
        }

        return expired;
    }
}
