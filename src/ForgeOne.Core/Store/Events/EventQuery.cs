namespace ForgeOne.Core.Store.Events;

/// <summary>
/// Which events to read: a topic, a time range, a minimum priority, where the previous page ended and,
/// optionally, the consumer whose checkpoint to read after.
/// </summary>
public sealed record EventQuery
{
    /// <summary>The topic; null for every topic (which scans each shard's whole index).</summary>
    public string? Topic { get; init; }

    /// <summary>Earliest timestamp, inclusive; null for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest timestamp, exclusive; null for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Lowest priority returned; null for all.</summary>
    public EventPriority? MinimumPriority { get; init; }

    /// <summary>Events per page, 1 to 100,000; default 1000.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>The <see cref="StorePage{T}.ContinuationToken"/> of the previous page; null for the first page.</summary>
    public string? After { get; init; }

    /// <summary>
    /// A consumer name: read only the events written after its checkpoint, in id order (the order writes committed
    /// in each shard) rather than timestamp order. A consumer without a checkpoint reads from the first event.
    /// </summary>
    public string? AfterCheckpoint { get; init; }
}
