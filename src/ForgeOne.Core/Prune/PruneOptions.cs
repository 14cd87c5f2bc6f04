namespace ForgeOne.Core.Prune;

/// <summary>How a prune decides which packs to rewrite.</summary>
public sealed record PruneOptions
{
    /// <summary>
    /// A pack still in use whose used share of bytes is below this is rewritten, its unused blobs dropped:
    /// default 0.8 (a pack a fifth or more unused). 0 never rewrites, 1 rewrites every pack with any unused blob.
    /// </summary>
    public double RepackBelowUsage { get; init; } = 0.8;

    /// <summary>Plan only: report what would be freed and rewritten, change nothing.</summary>
    public bool DryRun { get; init; }
}
