using ForgeOne.Core.Audit;

namespace ForgeOne.Core.Evidence;

/// <summary><c>audit/verification.json</c>: the audit chain's check when the package was made.</summary>
public sealed record AuditChainReport
{
    /// <summary>True when every record's hash, link and signature verified, and no snapshot's anchor was cut off.</summary>
    public required bool Passed { get; init; }

    /// <summary>Records in the log.</summary>
    public required long Records { get; init; }

    /// <summary>Records in the package's period.</summary>
    public required long RecordsInPeriod { get; init; }

    /// <summary>The head: <c>&lt;sequence&gt;:&lt;hash&gt;</c>.</summary>
    public required string Head { get; init; }

    /// <summary>The first bad record's sequence number, when there is one.</summary>
    public long? FirstBadSequence { get; init; }

    /// <summary>Why it failed, or <c>None</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The verifier's message.</summary>
    public required string Message { get; init; }

    /// <summary>The public key the signatures were checked with.</summary>
    public required string PublicKey { get; init; }

    internal static AuditChainReport From(AuditVerification verification, long records, long inPeriod) => new()
    {
        Passed = verification.Passed,
        Records = records,
        RecordsInPeriod = inPeriod,
        Head = verification.Head.ToString(),
        FirstBadSequence = verification.FirstBadSequence,
        Reason = verification.Reason.ToString(),
        Message = verification.Message,
        PublicKey = verification.TrustedKey.Hex,
    };
}
