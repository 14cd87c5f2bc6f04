namespace ForgeOne.Core.Evidence;

/// <summary>The result of checking an evidence package offline (<c>Test-ForgeEvidence</c>).</summary>
public sealed record EvidenceVerification
{
    /// <summary>The package.</summary>
    public required string Path { get; init; }

    /// <summary>The public key the manifest names, hex (empty when unreadable).</summary>
    public required string PublicKey { get; init; }

    /// <summary>Files whose hash was checked.</summary>
    public int FilesChecked { get; init; }

    /// <summary>What failed; empty when the package verified.</summary>
    public IReadOnlyList<EvidenceProblem> Problems { get; init; } = [];

    /// <summary>True when the signature, every hash and every listed file check out.</summary>
    public bool Passed => Problems.Count == 0;
}
