namespace ForgeOne.Core.Audit;

/// <summary>
/// The operation names front ends write into audit records, so one concept has one name in every log and a SIEM
/// rule can match it. Names are lower case, with dots between a noun and a verb.
/// </summary>
public static class AuditOperations
{
    /// <summary>A repository or store was created.</summary>
    public const string Init = "repository.init";

    /// <summary>A repository or store was opened (or an attempt to open it was refused).</summary>
    public const string Open = "repository.open";

    /// <summary>A backup ran.</summary>
    public const string Backup = "backup.create";

    /// <summary>Files or data were restored.</summary>
    public const string Restore = "restore";

    /// <summary>Snapshot or backup contents were read or listed without restoring them.</summary>
    public const string Read = "snapshot.read";

    /// <summary>A snapshot, repository or store was verified.</summary>
    public const string Verify = "verify";

    /// <summary>A snapshot was deleted.</summary>
    public const string SnapshotDelete = "snapshot.delete";

    /// <summary>Unused data was pruned.</summary>
    public const string Prune = "prune";

    /// <summary>A key slot was added.</summary>
    public const string KeyAdd = "key.add";

    /// <summary>A key slot was removed.</summary>
    public const string KeyRemove = "key.remove";

    /// <summary>A retention, lock or access policy was changed.</summary>
    public const string PolicyChange = "policy.change";

    /// <summary>The audit log itself was verified.</summary>
    public const string AuditVerify = "audit.verify";

    /// <summary>A disaster-recovery drill ran.</summary>
    public const string Drill = "drill.run";

    /// <summary>An evidence package was exported.</summary>
    public const string EvidenceExport = "evidence.export";

    /// <summary>An alert was sent (or could not be) to the repository's webhook.</summary>
    public const string AlertDelivery = "alert.delivery";

    /// <summary>A legal hold was set on a snapshot.</summary>
    public const string HoldSet = "hold.set";

    /// <summary>A legal hold was lifted.</summary>
    public const string HoldClear = "hold.clear";

    /// <summary>A store's record key was rotated to a new epoch.</summary>
    public const string KeyRotate = "key.rotate";

    /// <summary>A data subject's key was deleted (GDPR erasure by crypto-shredding); the record names only the subject's tag.</summary>
    public const string SubjectErase = "subject.erase";

    /// <summary>Records past a store's retention were deleted.</summary>
    public const string RetentionApply = "retention.apply";

    /// <summary>Point-in-time snapshots of store databases were taken.</summary>
    public const string SnapshotCreate = "snapshot.create";
}
