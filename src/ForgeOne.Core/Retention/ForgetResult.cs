namespace ForgeOne.Core.Retention;

/// <summary>What a forget run removed and kept.</summary>
public sealed record ForgetResult
{
    /// <summary>The plan that was carried out.</summary>
    public required RetentionPlan Plan { get; init; }

    /// <summary>Ids of the snapshots removed.</summary>
    public required IReadOnlyList<string> Removed { get; init; }

    /// <summary>Ids the plan would have removed but which came under legal hold before their turn; they stay.</summary>
    public IReadOnlyList<string> SparedByHold { get; init; } = [];

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }
}
