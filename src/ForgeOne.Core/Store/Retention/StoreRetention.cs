using System.Diagnostics;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Store.Settings;

namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// Deletes records past the store's retention policy (<c>Invoke-ForgeRetention</c>): <see cref="Plan(DateTimeOffset, int, CancellationToken)"/> lists what
/// would go, per database, without changing anything (<c>-WhatIf</c>); <see cref="Apply(StoreRetentionPlan, int, CancellationToken)"/>
/// deletes it in batched transactions.
/// </summary>
/// <remarks>
/// <para>The policy is the store setting <see cref="PolicySettingName"/> (<see cref="StoreSettings"/>), so every
/// change is kept with who made it. Log and event retention go by record timestamp through the topic/time index.
/// Blob retention goes by creation time and needs an <see cref="IRetentionTarget"/> for blobs; without one a policy's
/// blob age is listed in <see cref="StoreRetentionPlan.Skipped"/> and nothing of the blobs is deleted.</para>
/// <para>Deletion and backups: a record deleted here is gone from the store, not from backups taken before. Records
/// that must become unreadable everywhere are erased through their subject key (<see cref="Keys.SubjectVault.Remove"/>).</para>
/// <para>Thread-safety: all members may be called from several threads; each call opens its own connections. Writers
/// may keep writing meanwhile: each batch is a short write transaction.</para>
/// </remarks>
public sealed class StoreRetention
{
    /// <summary>The store setting that holds the policy as JSON (<see cref="StoreRetentionPolicy.ToJson"/>).</summary>
    public const string PolicySettingName = "retention.policy";

    /// <summary>Ids listed per database in a plan unless told otherwise: 1000.</summary>
    public const int DefaultMaxIds = 1000;

    /// <summary>Records deleted per transaction unless told otherwise: 1000.</summary>
    public const int DefaultBatchSize = 1000;

    private readonly ForgeStore _store;
    private readonly Dictionary<StoreDatabaseKind, IRetentionTarget> _targets;

    /// <summary>Creates the retention of <paramref name="store"/>.</summary>
    /// <param name="store">The open store.</param>
    /// <param name="blobs">How blobs are planned and deleted by creation time; null to leave blobs alone.</param>
    /// <exception cref="ArgumentException"><paramref name="blobs"/> is not a target for blobs.</exception>
    public StoreRetention(ForgeStore store, IRetentionTarget? blobs = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (blobs is not null && blobs.Kind != StoreDatabaseKind.Blobs)
        {
            throw new ArgumentException($"The blob retention target deletes {blobs.Kind} records, not blobs.", nameof(blobs));
        }

        _store = store;
        _targets = new Dictionary<StoreDatabaseKind, IRetentionTarget>
        {
            [StoreDatabaseKind.Logs] = TimeSeriesRetentionTarget.Logs,
            [StoreDatabaseKind.Events] = TimeSeriesRetentionTarget.Events,
        };
        if (blobs is not null)
        {
            _targets[StoreDatabaseKind.Blobs] = blobs;
        }
    }

    /// <summary>The store's retention policy.</summary>
    /// <returns>The policy; <see cref="StoreRetentionPolicy.KeepForever"/> when none was set.</returns>
    /// <exception cref="StoreValidationException">The stored policy is malformed.</exception>
    public StoreRetentionPolicy GetPolicy() =>
        _store.Settings.Get(PolicySettingName) is { } setting ? StoreRetentionPolicy.Parse(setting.Value) : StoreRetentionPolicy.KeepForever;

    /// <summary>Sets the store's retention policy as a new version of its setting.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="changedBy">Who sets it, kept with the version.</param>
    /// <returns>The new setting version.</returns>
    /// <exception cref="StoreValidationException">An age is not positive, or <paramref name="changedBy"/> is missing.</exception>
    public StoreSetting SetPolicy(StoreRetentionPolicy policy, string changedBy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        return _store.Settings.Set(PolicySettingName, policy.ToJson(), changedBy);
    }

    /// <summary>Lists, per database, the records the current policy would delete at <paramref name="now"/>. Changes nothing.</summary>
    /// <param name="now">The time ages count back from.</param>
    /// <param name="maxIds">Most ids listed per database (counts stay exact), 0 to 1,000,000.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The plan; databases with nothing past retention are left out.</returns>
    public StoreRetentionPlan Plan(DateTimeOffset now, int maxIds = DefaultMaxIds, CancellationToken cancellationToken = default) =>
        Plan(GetPolicy(), now, maxIds, cancellationToken);

    /// <summary>Lists, per database, the records <paramref name="policy"/> would delete at <paramref name="now"/>. Changes nothing.</summary>
    /// <param name="policy">The policy to plan with (for example one about to be set).</param>
    /// <param name="now">The time ages count back from.</param>
    /// <param name="maxIds">Most ids listed per database (counts stay exact), 0 to 1,000,000.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The plan; databases with nothing past retention are left out.</returns>
    public StoreRetentionPlan Plan(StoreRetentionPolicy policy, DateTimeOffset now, int maxIds = DefaultMaxIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxIds, 1_000_000);
        policy.Validate();
        var items = new List<StoreRetentionPlanItem>();
        foreach (var (database, target, cutoff) in Work(policy, now))
        {
            using var shard = _store.OpenShard(database);
            var item = target.Plan(shard, cutoff, maxIds, cancellationToken);
            if (item.Count > 0)
            {
                items.Add(item);
            }
        }

        return new StoreRetentionPlan(now, policy, items, Skipped(policy));
    }

    /// <summary>
    /// Deletes, in each database of <paramref name="plan"/>, the records dated before that database's cutoff: the
    /// planned records, and any older ones that arrived since planning.
    /// </summary>
    /// <param name="plan">A plan from <see cref="Plan(DateTimeOffset, int, CancellationToken)"/>, possibly with items removed.</param>
    /// <param name="batchSize">Records per transaction, 1 to 100,000.</param>
    /// <param name="cancellationToken">Stops between transactions; what was deleted stays deleted.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ArgumentException">The plan names a database this store does not have, or a kind it has no retention for.</exception>
    public StoreRetentionResult Apply(StoreRetentionPlan plan, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var work = plan.Databases.Select(item =>
        {
            var database = StoreDatabase.Parse(item.Database);
            if (!_store.Layout.Contains(database) || database.Kind != item.Kind || !_targets.TryGetValue(item.Kind, out var target))
            {
                throw new ArgumentException($"The plan's item for {item.Database} does not fit this store; make a new plan with Plan.", nameof(plan));
            }

            return (database, target, item.Cutoff);
        }).ToList();
        return Delete(work, batchSize, cancellationToken);
    }

    /// <summary>Deletes every record past the current policy at <paramref name="now"/>, without listing them first.</summary>
    /// <param name="now">The time ages count back from.</param>
    /// <param name="batchSize">Records per transaction, 1 to 100,000.</param>
    /// <param name="cancellationToken">Stops between transactions; what was deleted stays deleted.</param>
    /// <returns>What was deleted, for every database the policy limits.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public StoreRetentionResult Apply(DateTimeOffset now, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        var policy = GetPolicy();
        return Delete([.. Work(policy, now)], batchSize, cancellationToken);
    }

    private StoreRetentionResult Delete(List<(StoreDatabase Database, IRetentionTarget Target, DateTimeOffset Cutoff)> work, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 100_000);
        var stopwatch = Stopwatch.StartNew();
        var deletions = new List<StoreRetentionDeletion>();
        foreach (var (database, target, cutoff) in work)
        {
            using var shard = _store.OpenShard(database);
            var deleted = target.Delete(shard, cutoff, batchSize, cancellationToken);
            deletions.Add(new StoreRetentionDeletion(database.FileName, database.Kind, cutoff, deleted));
        }

        var result = new StoreRetentionResult(deletions, stopwatch.Elapsed);
        _store.TryAudit(new AuditEvent
        {
            Operation = AuditOperations.RetentionApply,
            Target = "store " + _store.Id,
            Parameters = result.Databases.ToDictionary(item => item.Database, item => item.Deleted.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });
        return result;
    }

    /// <summary>Every database the policy limits and this store can apply retention to, with its cutoff, in layout order.</summary>
    private IEnumerable<(StoreDatabase Database, IRetentionTarget Target, DateTimeOffset Cutoff)> Work(StoreRetentionPolicy policy, DateTimeOffset now)
    {
        foreach (var database in _store.Layout.Databases)
        {
            if (policy.MaxAge(database.Kind) is { } age && _targets.TryGetValue(database.Kind, out var target))
            {
                yield return (database, target, now - age);
            }
        }
    }

    private List<StoreDatabaseKind> Skipped(StoreRetentionPolicy policy) =>
        [.. new[] { StoreDatabaseKind.Logs, StoreDatabaseKind.Events, StoreDatabaseKind.Blobs }
            .Where(kind => policy.MaxAge(kind) is not null && !_targets.ContainsKey(kind))];
}
