namespace ForgeOne.Core.Restore;

/// <summary>What a restore did: shown by Restore-ForgeBackup and <c>forge backup restore --json</c>.</summary>
public sealed record RestoreResult
{
    /// <summary>The snapshot restored.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>The folder restored into.</summary>
    public required string Destination { get; init; }

    /// <summary>Files written.</summary>
    public long Files { get; init; }

    /// <summary>Folders created or updated.</summary>
    public long Directories { get; init; }

    /// <summary>Bytes of file content written.</summary>
    public long Bytes { get; init; }

    /// <summary>How long the restore took, verification included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the restored tree's DNA equals the snapshot's (or, for a partial restore, the selection's).</summary>
    public bool Verified { get; init; }

    /// <summary>The DNA recomputed from the restored files; null when not verified (see <see cref="NotVerifiedReason"/>).</summary>
    public string? DnaHash { get; init; }

    /// <summary>The DNA the snapshot (or the selection of it) should give.</summary>
    public string? DnaExpected { get; init; }

    /// <summary>
    /// Why the DNA was not compared: verification turned off, a destination that was not empty, or a restored folder
    /// that could not be read back (a file this account may not read, a name holding a line feed); null when it was.
    /// </summary>
    public string? NotVerifiedReason { get; init; }

    /// <summary>Files left alone because they exist (pass Force to replace them).</summary>
    public IReadOnlyList<RestoreProblem> Skipped { get; init; } = [];

    /// <summary>Files that failed: damaged chunks or content, or write errors. None got its final name.</summary>
    public IReadOnlyList<RestoreProblem> Failed { get; init; } = [];
}
