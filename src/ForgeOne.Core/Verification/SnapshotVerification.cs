namespace ForgeOne.Core.Verification;

/// <summary>The outcome of verifying one snapshot: Test-ForgeSnapshot and <c>forge snapshot verify</c>.</summary>
/// <remarks>A failed check is a result with <see cref="Passed"/> false, not an error, so DR tests can assert on it.</remarks>
public sealed record SnapshotVerification
{
    /// <summary>The snapshot verified.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>True when nothing is missing or damaged and the DNA matches.</summary>
    public required bool Passed { get; init; }

    /// <summary>The DNA the snapshot recorded at backup.</summary>
    public string? DnaExpected { get; init; }

    /// <summary>The DNA recomputed now (from the data itself for every file read in full).</summary>
    public string? DnaActual { get; init; }

    /// <summary>Data chunks checked for presence, and read and authenticated when data was read.</summary>
    public long ChunksChecked { get; init; }

    /// <summary>Chunk bytes read and authenticated.</summary>
    public long BytesRead { get; init; }

    /// <summary>Whether chunk data was read, and which part of it.</summary>
    public string? DataRead { get; init; }

    /// <summary>What is wrong, each with the paths it affects.</summary>
    public IReadOnlyList<VerificationProblem> Problems { get; init; } = [];
}
