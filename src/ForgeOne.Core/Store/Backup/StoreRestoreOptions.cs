namespace ForgeOne.Core.Store.Backup;

/// <summary>What to restore into a store, and from which backup.</summary>
public sealed record StoreRestoreOptions
{
    /// <summary>The store's folder (it may be missing when everything is restored).</summary>
    public required string StorePath { get; init; }

    /// <summary><c>All</c>, a kind (<c>logs</c>) or one database file name such as <c>logs_shard_0.redb</c>.</summary>
    public string Target { get; init; } = "All";

    /// <summary>The store backup's snapshot id or prefix; null for the newest backup of this store.</summary>
    public string? SnapshotId { get; init; }
}
