namespace ForgeOne.Core.Store.Retention;

/// <summary>What retention deleted in one database.</summary>
/// <param name="Database">The database file, for example <c>logs_shard_0.redb</c>.</param>
/// <param name="Kind">The kind of records.</param>
/// <param name="Cutoff">Records dated before this were deleted.</param>
/// <param name="Deleted">How many records were deleted.</param>
public sealed record StoreRetentionDeletion(string Database, StoreDatabaseKind Kind, DateTimeOffset Cutoff, long Deleted);
