namespace ForgeOne.Core.Drills;

/// <summary>
/// The outcome of a disaster-recovery drill: did the snapshot restore, verify and pass the user's validation, within
/// the recovery time objective, and was it recent enough for the recovery point objective. Pester asserts on
/// <see cref="Passed"/> and <see cref="Checks"/>.
/// </summary>
public sealed record DrDrillResult
{
    /// <summary>The drill's id: its UTC start time and 4 random hex digits, for example <c>20261124T150000Z-3fa1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>When the drill started (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The host the drill ran on.</summary>
    public required string Host { get; init; }

    /// <summary>The snapshot restored.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>When that snapshot was taken (its end time, UTC).</summary>
    public required DateTimeOffset SnapshotTime { get; init; }

    /// <summary>The DNA of the restored tree (equal to the snapshot's when the drill passed the DNA check).</summary>
    public string? DnaHash { get; init; }

    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.Count > 0 && Checks.All(check => check.Passed);

    /// <summary>Recovery time measured: restore plus every verification, validation included.</summary>
    public required TimeSpan Rto { get; init; }

    /// <summary>Recovery point at the drill: how old the snapshot was when the drill started.</summary>
    public required TimeSpan Rpo { get; init; }

    /// <summary>The recovery time objective, if one was given.</summary>
    public TimeSpan? RtoObjective { get; init; }

    /// <summary>The recovery point objective, if one was given.</summary>
    public TimeSpan? RpoObjective { get; init; }

    /// <summary>Every check, in the order run.</summary>
    public required IReadOnlyList<DrDrillCheck> Checks { get; init; }

    /// <summary>Files restored.</summary>
    public long Files { get; init; }

    /// <summary>Bytes restored.</summary>
    public long Bytes { get; init; }

    /// <summary>The checks that failed.</summary>
    public IReadOnlyList<DrDrillCheck> Failures => [.. Checks.Where(check => !check.Passed)];
}
