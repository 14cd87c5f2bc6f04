namespace ForgeOne.Core.Evidence;

/// <summary>
/// <c>manifest.json</c> of an evidence package: what it covers and every other file with its BLAKE3 hash. Its exact
/// bytes are signed with the repository's Ed25519 key; the signature is <c>manifest.sig</c> (hex).
/// </summary>
public sealed record EvidenceManifest
{
    /// <summary>The package format, 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>When the package was made (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The repository's location when the package was made.</summary>
    public required string Repository { get; init; }

    /// <summary>Start of the period.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the period.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The frameworks mapped.</summary>
    public required string Frameworks { get; init; }

    /// <summary>The Ed25519 public key that signs the manifest (and the audit log), hex.</summary>
    public required string PublicKey { get; init; }

    /// <summary>Every file of the package except the manifest and its signature.</summary>
    public required IReadOnlyList<EvidenceFile> Files { get; init; }
}
