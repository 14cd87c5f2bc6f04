namespace ForgeOne.Core.Audit;

/// <summary>
/// The result of checking an audit log (<see cref="AuditLog.VerifyAsync"/>, <see cref="AuditVerifier"/>): passed, or
/// the first bad sequence number and why. A failed check is a result, not an exception.
/// </summary>
public sealed record AuditVerification
{
    /// <summary>True when every record, signature, link and anchor checked out.</summary>
    public required bool Passed { get; init; }

    /// <summary>How many records were checked and found good before the first failure (all of them when passed).</summary>
    public required long RecordsChecked { get; init; }

    /// <summary>The head of the good part of the log: the whole log's head when passed, otherwise the last good record
    /// before <see cref="FirstBadSequence"/> (<see cref="AuditHead.Genesis"/> when there is none).</summary>
    public required AuditHead Head { get; init; }

    /// <summary>The first sequence number that failed; null when passed, or when the failure is not one record's
    /// (<see cref="AuditFailureReason.KeyMismatch"/>).</summary>
    public long? FirstBadSequence { get; init; }

    /// <summary>Why it failed; <see cref="AuditFailureReason.None"/> when passed.</summary>
    public AuditFailureReason Reason { get; init; }

    /// <summary>What was found, naming the record and the problem; a summary when passed.</summary>
    public required string Message { get; init; }

    /// <summary>The public key the signatures were checked with.</summary>
    public required AuditPublicKey TrustedKey { get; init; }
}
