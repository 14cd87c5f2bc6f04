namespace ForgeOne.Core.Evidence;

/// <summary>An evidence package written by <see cref="EvidenceExporter"/>.</summary>
public sealed record EvidencePackage
{
    /// <summary>The zip file.</summary>
    public required string Path { get; init; }

    /// <summary>Start of the period.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the period.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Files listed in the manifest.</summary>
    public required int Files { get; init; }

    /// <summary>The zip's size.</summary>
    public required long Bytes { get; init; }

    /// <summary>The signing public key, hex.</summary>
    public required string PublicKey { get; init; }

    /// <summary>Every mapped control and its status.</summary>
    public required IReadOnlyList<ControlResult> Controls { get; init; }

    /// <summary>Where the report for people is inside the zip.</summary>
    public string Report { get; init; } = "report.html";
}
