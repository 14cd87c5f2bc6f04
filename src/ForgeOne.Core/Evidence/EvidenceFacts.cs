namespace ForgeOne.Core.Evidence;

/// <summary>What the package found for the period, which the control map judges.</summary>
internal sealed record EvidenceFacts
{
    public int Snapshots { get; init; }

    public int SnapshotsWithDna { get; init; }

    public int Drills { get; init; }

    public int DrillsPassed { get; init; }

    public int Verifications { get; init; }

    public int VerificationsPassed { get; init; }

    public bool RetentionPolicy { get; init; }

    public int LegalHolds { get; init; }

    public bool AuditLogVerified { get; init; }

    public int AuditRecords { get; init; }

    public TimeSpan? WorstRpo { get; init; }

    public TimeSpan? RpoObjective { get; init; }
}
