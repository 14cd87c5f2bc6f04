namespace ForgeOne.Core.Evidence;

/// <summary>One snapshot as the evidence package's inventory lists it.</summary>
public sealed record InventoryRow
{
    /// <summary>Snapshot id.</summary>
    public required string Id { get; init; }

    /// <summary>Start time (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>End time (UTC).</summary>
    public required DateTimeOffset EndTime { get; init; }

    /// <summary>Host.</summary>
    public required string Host { get; init; }

    /// <summary>Paths, comma-separated.</summary>
    public required string Paths { get; init; }

    /// <summary>Tags, comma-separated.</summary>
    public required string Tags { get; init; }

    /// <summary>Files.</summary>
    public long Files { get; init; }

    /// <summary>Logical bytes.</summary>
    public long LogicalBytes { get; init; }

    /// <summary>Bytes stored by this backup.</summary>
    public long StoredBytes { get; init; }

    /// <summary>DNA hash.</summary>
    public string? DnaHash { get; init; }

    /// <summary>For a store backup, the store's id.</summary>
    public string? StoreId { get; init; }

    /// <summary>Under legal hold.</summary>
    public bool LegalHold { get; init; }
}
