namespace ForgeOne.Core.Retention;

/// <summary>A legal hold on a snapshot: no policy and no direct delete removes it while the hold stands.</summary>
public sealed record LegalHold
{
    /// <summary>The held snapshot's id.</summary>
    public required string SnapshotId { get; init; }

    /// <summary>Why it is held, for example a case number.</summary>
    public required string Reason { get; init; }

    /// <summary>Who set the hold.</summary>
    public required string SetBy { get; init; }

    /// <summary>When the hold was set (UTC).</summary>
    public required DateTimeOffset SetAt { get; init; }
}
