namespace ForgeOne.Core.Store.Retention;

/// <summary>What a retention run deleted.</summary>
/// <param name="Databases">Per database, in layout order.</param>
/// <param name="Duration">How long the run took.</param>
public sealed record StoreRetentionResult(IReadOnlyList<StoreRetentionDeletion> Databases, TimeSpan Duration)
{
    /// <summary>Records deleted in every database.</summary>
    public long TotalDeleted => Databases.Sum(item => item.Deleted);
}
