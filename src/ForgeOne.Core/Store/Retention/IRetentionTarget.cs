namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// One kind of record that retention can plan and delete by age, in one database at a time. Logs and events use
/// <see cref="TimeSeriesRetentionTarget"/>; blobs (by creation time) supply their own.
/// </summary>
public interface IRetentionTarget
{
    /// <summary>The database kind whose records this target deletes.</summary>
    StoreDatabaseKind Kind { get; }

    /// <summary>Counts the records of one database dated before <paramref name="cutoff"/>, without changing anything.</summary>
    /// <param name="shard">An open database of <see cref="Kind"/>.</param>
    /// <param name="cutoff">Records dated before this are past retention.</param>
    /// <param name="maxIds">Most ids to list; the count stays exact beyond it.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The database's item; <see cref="StoreRetentionPlanItem.Count"/> 0 when nothing is past retention.</returns>
    StoreRetentionPlanItem Plan(StoreShard shard, DateTimeOffset cutoff, int maxIds, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the records of one database dated before <paramref name="cutoff"/> with everything that indexes them,
    /// in transactions of at most <paramref name="batchSize"/> records.
    /// </summary>
    /// <param name="shard">An open database of <see cref="Kind"/>.</param>
    /// <param name="cutoff">Records dated before this go.</param>
    /// <param name="batchSize">Records per transaction.</param>
    /// <param name="cancellationToken">Stops between transactions; committed deletions stay.</param>
    /// <returns>How many records were deleted.</returns>
    long Delete(StoreShard shard, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
