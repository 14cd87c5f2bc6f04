using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Drills;

/// <summary>What a drill restores, where, and what it holds the result to.</summary>
public sealed record DrDrillOptions
{
    /// <summary>The snapshot id or prefix; null for the newest snapshot.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>The folder to restore into (made, then removed); null for a new temporary folder.</summary>
    public string? Scratch { get; init; }

    /// <summary>The recovery time objective; null for none.</summary>
    public TimeSpan? RtoObjective { get; init; }

    /// <summary>The recovery point objective; null for none.</summary>
    public TimeSpan? RpoObjective { get; init; }

    /// <summary>
    /// The user's validation, given the restored folder: returns whether it passed and what it found. Exceptions it
    /// throws fail the check with their message. Null for none.
    /// </summary>
    public Func<string, CancellationToken, Task<(bool Passed, string Detail)>>? Validation { get; init; }

    /// <summary>
    /// The credentials of the store a store backup came from, so the drill can open its restored databases and check
    /// their logical DNA. Without them a store backup's databases get SQLite's integrity check only.
    /// </summary>
    public RepositoryCredentials? StoreCredentials { get; init; }

    /// <summary>Keep the scratch folder afterwards (for inspection); default false.</summary>
    public bool KeepScratch { get; init; }
}
