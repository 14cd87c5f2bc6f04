namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// What retention would delete (<c>Invoke-ForgeRetention -WhatIf</c>), per database. Pass it to
/// <see cref="StoreRetention.Apply(StoreRetentionPlan, int, CancellationToken)"/> to delete; drop items first to
/// spare their databases.
/// </summary>
/// <param name="Now">The time the cutoffs were computed from.</param>
/// <param name="Policy">The policy planned with.</param>
/// <param name="Databases">The databases holding records past retention, in layout order.</param>
/// <param name="Skipped">Kinds the policy limits but this store cannot apply retention to yet (blobs, until a blob retention target is given).</param>
public sealed record StoreRetentionPlan(
    DateTimeOffset Now,
    StoreRetentionPolicy Policy,
    IReadOnlyList<StoreRetentionPlanItem> Databases,
    IReadOnlyList<StoreDatabaseKind> Skipped)
{
    /// <summary>Records past retention in every database of the plan.</summary>
    public long TotalRecords => Databases.Sum(item => item.Count);
}
