using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Retention;

/// <summary>
/// Removes snapshots: by a retention plan (<c>Invoke-ForgeRetention</c>, <c>forge forget</c>) or one by one
/// (<c>Remove-ForgeBackup</c>), never one under legal hold. Removing a snapshot deletes only its snapshot object;
/// the data it alone referenced stays until a prune.
/// </summary>
public static class SnapshotForgetter
{
    // One forget may remove hundreds of snapshots; the audit record names the first ones and counts all.
    private const int AuditRelatedIdLimit = 200;

    /// <summary>Plans the repository's stored retention policy against its snapshots (what <c>-WhatIf</c> shows).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="policy">A policy to use instead of the stored one; null for the stored one.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">No policy is stored and none was given, or it keeps nothing.</exception>
    public static async Task<RetentionPlan> PlanAsync(Repository.Repository repository, RetentionPolicy? policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var policies = new RepositoryPolicies(repository);
        policy ??= (await policies.GetRetentionPolicyAsync(cancellationToken).ConfigureAwait(false))?.Policy
            ?? throw new ArgumentException("This repository has no retention policy. Set one with Set-ForgeRetentionPolicy -Repository (forge policy set), or give the rules on the command line.");
        var snapshots = await SnapshotStore.FindAsync(repository, null, cancellationToken).ConfigureAwait(false);
        var holds = await policies.GetHoldsAsync(cancellationToken).ConfigureAwait(false);
        return RetentionPlanner.Plan(snapshots, policy, holds);
    }

    /// <summary>Removes the snapshots the plan removes, under the repository's exclusive lock.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="plan">The plan (from <see cref="PlanAsync"/>).</param>
    /// <param name="shouldRemove">Asked before each removal (PowerShell's ShouldProcess); null removes all.</param>
    /// <param name="cancellationToken">Cancels between snapshots; those removed stay removed.</param>
    /// <returns>What was removed.</returns>
    public static async Task<ForgetResult> ForgetAsync(Repository.Repository repository, RetentionPlan plan, Func<RetentionDecision, bool>? shouldRemove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(plan);
        var clock = Stopwatch.StartNew();
        await using var exclusive = await repository.LockAsync(exclusive: true, "forget", cancellationToken).ConfigureAwait(false);

        // Holds are read again under the lock: one set since the plan was made still protects its snapshot.
        var holds = await new RepositoryPolicies(repository).GetHoldsAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        var spared = new List<string>();
        foreach (var decision in plan.Removed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (holds.ContainsKey(decision.Id))
            {
                spared.Add(decision.Id);
                continue;
            }

            if (shouldRemove is not null && !shouldRemove(decision))
            {
                continue;
            }

            exclusive.ThrowIfLost();
            try
            {
                await repository.DeleteSnapshotAsync(decision.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (SnapshotNotFoundException)
            {
                // Already gone (another forget); the outcome is the same.
            }

            removed.Add(decision.Id);
        }

        if (removed.Count > 0)
        {
            await AuditTrail.TryRecordAsync(repository, new AuditEvent
            {
                Operation = AuditOperations.SnapshotDelete,
                Target = "retention policy: " + plan.Policy,
                Parameters = new Dictionary<string, string>
                {
                    ["removed"] = removed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["kept"] = plan.Kept.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sparedByHold"] = spared.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                RelatedIds = [.. removed.Take(AuditRelatedIdLimit)],
            }, cancellationToken).ConfigureAwait(false);
        }

        return new ForgetResult { Plan = plan, Removed = removed, SparedByHold = spared, Duration = clock.Elapsed };
    }

    /// <summary>Removes one snapshot, refusing one under legal hold.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="idOrPrefix">The snapshot's id or a unique prefix.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The full id removed.</returns>
    /// <exception cref="LegalHoldException">The snapshot is under legal hold.</exception>
    /// <exception cref="SnapshotNotFoundException">No snapshot matches.</exception>
    public static async Task<string> RemoveAsync(Repository.Repository repository, string idOrPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var exclusive = await repository.LockAsync(exclusive: true, "forget", cancellationToken).ConfigureAwait(false);
        var id = await repository.ResolveSnapshotIdAsync(idOrPrefix, cancellationToken).ConfigureAwait(false);
        var holds = await new RepositoryPolicies(repository).GetHoldsAsync(cancellationToken).ConfigureAwait(false);
        if (holds.TryGetValue(id, out var hold))
        {
            throw new LegalHoldException(hold);
        }

        exclusive.ThrowIfLost();
        var deleted = await repository.DeleteSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(repository, new AuditEvent { Operation = AuditOperations.SnapshotDelete, Target = "snapshot " + deleted, RelatedIds = [deleted] }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
