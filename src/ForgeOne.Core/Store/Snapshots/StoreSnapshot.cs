namespace ForgeOne.Core.Store.Snapshots;

/// <summary>
/// A point-in-time copy of one store database, taken while writers continue, with the logical DNA of its
/// content. Snapshots taken together share an <see cref="Id"/>.
/// </summary>
public sealed record StoreSnapshot
{
    /// <summary>The snapshot set's id, for example <c>20261124T142600Z-3fa1</c> (UTC time, then 4 random hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The database's file name, for example <c>logs_shard_0.redb</c>.</summary>
    public required string Database { get; init; }

    /// <summary>When the copy was taken (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Where the copy is.</summary>
    public required string Path { get; init; }

    /// <summary>The copy's size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>The logical DNA of the copy's content (docs/store.md, "Logical DNA").</summary>
    public required string LogicalDna { get; init; }

    /// <summary>What <c>PRAGMA integrity_check</c> said of the copy: <c>ok</c>, or its findings.</summary>
    public string Integrity { get; init; } = "ok";

    /// <summary>The id of the store the database belongs to.</summary>
    public required string StoreId { get; init; }

    /// <summary>The store's region.</summary>
    public required string Region { get; init; }

    /// <summary>The key epochs the copy's records are sealed under.</summary>
    public IReadOnlyList<int> KeyEpochs { get; init; } = [];
}
