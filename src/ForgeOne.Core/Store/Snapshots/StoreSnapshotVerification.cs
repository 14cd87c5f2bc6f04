namespace ForgeOne.Core.Store.Snapshots;

/// <summary>
/// The result of checking a store snapshot: SQLite's integrity check and the logical DNA recomputed from its
/// content. A failed check is a result (<see cref="Passed"/> false, <see cref="Problems"/> saying why), not an error.
/// </summary>
public sealed record StoreSnapshotVerification
{
    /// <summary>The snapshot set's id.</summary>
    public required string Id { get; init; }

    /// <summary>The database's file name.</summary>
    public required string Database { get; init; }

    /// <summary>The file checked.</summary>
    public required string Path { get; init; }

    /// <summary>The DNA recorded when the snapshot was taken (or backed up).</summary>
    public required string ExpectedDna { get; init; }

    /// <summary>The DNA computed now; null when the file could not be read.</summary>
    public string? ActualDna { get; init; }

    /// <summary>True when the integrity check says ok and the DNA matches.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>What failed, one line each; empty when the snapshot passed.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>How long the check took.</summary>
    public TimeSpan Duration { get; init; }
}
