namespace ForgeOne.Core.Retention;

/// <summary>A retention policy applied to a repository's snapshots: a decision for every one, newest first.</summary>
/// <param name="Policy">The policy applied.</param>
/// <param name="Decisions">One decision per snapshot, grouped, newest first within each group.</param>
public sealed record RetentionPlan(RetentionPolicy Policy, IReadOnlyList<RetentionDecision> Decisions)
{
    /// <summary>The snapshots that stay.</summary>
    public IReadOnlyList<RetentionDecision> Kept => [.. Decisions.Where(decision => decision.Keep)];

    /// <summary>The snapshots that go.</summary>
    public IReadOnlyList<RetentionDecision> Removed => [.. Decisions.Where(decision => !decision.Keep)];
}
