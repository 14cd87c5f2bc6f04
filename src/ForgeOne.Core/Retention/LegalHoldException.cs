namespace ForgeOne.Core.Retention;

/// <summary>A snapshot under legal hold was to be removed.</summary>
public sealed class LegalHoldException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="hold">The hold in the way.</param>
    public LegalHoldException(LegalHold hold)
        : base($"Snapshot {hold.SnapshotId[..8]} is under legal hold ({hold.Reason}, set by {hold.SetBy} on {hold.SetAt:yyyy-MM-dd}), so it cannot be removed. Clear the hold first with Clear-ForgeLegalHold -Id {hold.SnapshotId[..8]} (forge hold clear {hold.SnapshotId[..8]}) if the hold has ended.")
    {
        Hold = hold;
    }

    /// <summary>The hold.</summary>
    public LegalHold Hold { get; }
}
