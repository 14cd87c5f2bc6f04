namespace ForgeOne.Core.Verification;

/// <summary>The outcome of checking a whole repository: Test-ForgeRepository and <c>forge check</c>.</summary>
public sealed record RepositoryCheckResult
{
    /// <summary>The repository checked.</summary>
    public required string Repository { get; init; }

    /// <summary>True when no problem was found.</summary>
    public required bool Passed { get; init; }

    /// <summary>Snapshots checked.</summary>
    public int Snapshots { get; init; }

    /// <summary>Packs listed by the index.</summary>
    public int Packs { get; init; }

    /// <summary>Packs read in full (with read-data).</summary>
    public int PacksRead { get; init; }

    /// <summary>Pack bytes read in full.</summary>
    public long BytesRead { get; init; }

    /// <summary>Packs no index lists: leftovers of interrupted backups, removed by a prune; not damage.</summary>
    public int UnreferencedPacks { get; init; }

    /// <summary>Whether data was read, and which part.</summary>
    public string? DataRead { get; init; }

    /// <summary>What is wrong, each with the snapshots and paths it affects.</summary>
    public IReadOnlyList<VerificationProblem> Problems { get; init; } = [];
}
