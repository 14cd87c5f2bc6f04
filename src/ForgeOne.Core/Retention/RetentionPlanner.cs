using System.Globalization;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to snapshots, deciding for each whether it stays and which rules keep
/// it. Pure: it reads and deletes nothing, so <c>-WhatIf</c> shows exactly what a run would do.
/// </summary>
/// <remarks>
/// Per group, snapshots are walked newest first; each periodic rule keeps a snapshot when its period (hour, day,
/// ISO week, month, year, in UTC) differs from the last period that rule kept and the rule has count left. Every
/// rule sees every snapshot, so one snapshot may be kept by several rules and names them all. Snapshots under legal
/// hold stay whatever the rules say, without using up any rule's count.
/// </remarks>
public static class RetentionPlanner
{
    /// <summary>Decides, for every snapshot, whether <paramref name="policy"/> keeps it.</summary>
    /// <param name="snapshots">The repository's snapshots.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="holds">Legal holds by snapshot id; held snapshots always stay.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">The policy is invalid or keeps nothing.</exception>
    public static RetentionPlan Plan(IEnumerable<Snapshot> snapshots, RetentionPolicy policy, IReadOnlyDictionary<string, LegalHold>? holds = null)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        holds ??= new Dictionary<string, LegalHold>();
        var decisions = new List<RetentionDecision>();
        foreach (var group in snapshots.GroupBy(snapshot => GroupKey(snapshot, policy.GroupBy)).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            decisions.AddRange(PlanGroup(group.Key, [.. group.OrderByDescending(snapshot => snapshot.Time).ThenByDescending(snapshot => snapshot.Id, StringComparer.Ordinal)], policy, holds));
        }

        return new RetentionPlan(policy, decisions);
    }

    /// <summary>The group a snapshot belongs to under <paramref name="grouping"/>.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="grouping">What separates groups.</param>
    /// <returns>A readable key such as <c>host=db01 paths=/var/lib/pg</c>.</returns>
    public static string GroupKey(Snapshot snapshot, SnapshotGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var parts = new List<string>();
        if (grouping.HasFlag(SnapshotGrouping.Host))
        {
            parts.Add("host=" + snapshot.Host);
        }

        if (grouping.HasFlag(SnapshotGrouping.Paths))
        {
            parts.Add("paths=" + string.Join(',', snapshot.Paths.Order(StringComparer.Ordinal)));
        }

        if (grouping.HasFlag(SnapshotGrouping.Tags))
        {
            parts.Add("tags=" + string.Join(',', snapshot.Tags.Order(StringComparer.Ordinal)));
        }

        return parts.Count == 0 ? "all" : string.Join(' ', parts);
    }

    private static IEnumerable<RetentionDecision> PlanGroup(string group, List<Snapshot> newestFirst, RetentionPolicy policy, IReadOnlyDictionary<string, LegalHold> holds)
    {
        var rules = new List<Rule>();
        if (policy.KeepLast is { } last)
        {
            rules.Add(new Rule("last", last, snapshot => snapshot.Id!));
        }

        AddPeriodic(rules, "hourly", policy.KeepHourly, time => time.ToString("yyyy-MM-dd'T'HH'h'", CultureInfo.InvariantCulture));
        AddPeriodic(rules, "daily", policy.KeepDaily, time => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        AddPeriodic(rules, "weekly", policy.KeepWeekly, time => string.Create(CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(time.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(time.UtcDateTime):D2}"));
        AddPeriodic(rules, "monthly", policy.KeepMonthly, time => time.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        AddPeriodic(rules, "yearly", policy.KeepYearly, time => time.ToString("yyyy", CultureInfo.InvariantCulture));
        var within = policy.KeepWithin is { } duration && newestFirst.Count > 0 ? newestFirst[0].Time - duration : (DateTimeOffset?)null;

        foreach (var snapshot in newestFirst)
        {
            var reasons = new List<string>();
            if (holds.TryGetValue(snapshot.Id!, out var hold))
            {
                reasons.Add("legal hold: " + hold.Reason);
            }

            foreach (var rule in rules)
            {
                if (rule.TryKeep(snapshot) is { } reason)
                {
                    reasons.Add(reason);
                }
            }

            if (within is { } since && snapshot.Time >= since)
            {
                reasons.Add("within " + policy.KeepWithin!.Value.ToString("c", CultureInfo.InvariantCulture));
            }

            yield return new RetentionDecision { Snapshot = snapshot, Keep = reasons.Count > 0, Reasons = reasons, Group = group };
        }
    }

    private static void AddPeriodic(List<Rule> rules, string name, int? count, Func<DateTimeOffset, string> period)
    {
        if (count is { } value)
        {
            rules.Add(new Rule(name, value, snapshot => period(snapshot.Time.ToUniversalTime())));
        }
    }

    /// <summary>One rule's state while a group is walked: how many it may still keep and the last period it kept.</summary>
    private sealed class Rule(string name, int count, Func<Snapshot, string> bucket)
    {
        private readonly int _count = count;
        private int _remaining = count;
        private string? _lastBucket;

        public string? TryKeep(Snapshot snapshot)
        {
            if (_remaining == 0)
            {
                return null;
            }

            var current = bucket(snapshot);
            if (current == _lastBucket)
            {
                return null;
            }

            _lastBucket = current;
            _remaining--;
            return name == "last" ? string.Create(CultureInfo.InvariantCulture, $"last {_count}") : $"{name} {current}";
        }
    }
}
