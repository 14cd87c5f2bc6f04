namespace ForgeOne.Core.Audit;

/// <summary>Why an audit log failed verification (<see cref="AuditVerification.Reason"/>).</summary>
public enum AuditFailureReason
{
    /// <summary>Nothing failed.</summary>
    None = 0,

    /// <summary>
    /// A record's content changed: its stored bytes fail authentication or do not parse, its fields no longer hash to
    /// its <c>hash</c>, or it was replaced by a validly signed record that its successor does not chain to.
    /// </summary>
    Modified = 1,

    /// <summary>A record is missing from the middle of the log: its sequence number never appears.</summary>
    Removed = 2,

    /// <summary>Records are out of order, or a record is stored under another record's name.</summary>
    Reordered = 3,

    /// <summary>A record's signature does not verify with the trusted public key (forged, or signed with another key).</summary>
    BadSignature = 4,

    /// <summary>
    /// The log ends before an anchor (a snapshot's audit head, or a head given by the caller), or the record at an
    /// anchor's sequence number is not the anchored one: the tail was cut off (and perhaps written again).
    /// </summary>
    Truncated = 5,

    /// <summary>The public key published with the log (<c>audit/key</c>) is not the trusted key, or is damaged.</summary>
    KeyMismatch = 6,
}
