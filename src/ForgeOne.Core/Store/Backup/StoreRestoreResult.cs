namespace ForgeOne.Core.Store.Backup;

/// <summary>The outcome of restoring databases into a store.</summary>
public sealed record StoreRestoreResult
{
    /// <summary>The store backup restored from.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>The store's folder.</summary>
    public required string StorePath { get; init; }

    /// <summary>The databases restored, each verified.</summary>
    public required IReadOnlyList<RestoredDatabase> Databases { get; init; }

    /// <summary>True: every database's logical DNA matched the backup (a mismatch throws instead).</summary>
    public bool Verified => Databases.Count > 0;

    /// <summary>How long the restore took.</summary>
    public TimeSpan Duration { get; init; }
}
