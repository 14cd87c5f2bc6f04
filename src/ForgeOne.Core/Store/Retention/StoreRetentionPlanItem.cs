namespace ForgeOne.Core.Store.Retention;

/// <summary>The records of one database that are past retention.</summary>
/// <param name="Database">The database file, for example <c>logs_shard_0.redb</c>.</param>
/// <param name="Kind">The kind of records.</param>
/// <param name="Cutoff">Records dated before this go.</param>
/// <param name="Count">How many records are past retention (exact).</param>
/// <param name="Oldest">The oldest such record's time; null when there are none.</param>
/// <param name="Newest">The newest such record's time; null when there are none.</param>
/// <param name="Ids">Ids of such records, for display; at most the plan's id limit.</param>
/// <param name="IdsTruncated">True when <paramref name="Count"/> exceeds the ids listed.</param>
public sealed record StoreRetentionPlanItem(
    string Database,
    StoreDatabaseKind Kind,
    DateTimeOffset Cutoff,
    long Count,
    DateTimeOffset? Oldest,
    DateTimeOffset? Newest,
    IReadOnlyList<long> Ids,
    bool IdsTruncated);
