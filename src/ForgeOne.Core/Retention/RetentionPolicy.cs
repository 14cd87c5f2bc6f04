using System.Globalization;

namespace ForgeOne.Core.Retention;

/// <summary>
/// Which snapshots a repository keeps: the newest N, the newest of each of the last N hours, days, weeks, months
/// and years that have snapshots, and everything within a duration of the newest — per group of host and paths
/// (by default), like restic's <c>forget</c>. A snapshot kept by any rule is kept; snapshots under legal hold
/// are always kept.
/// </summary>
/// <remarks>
/// Periods are calendar periods in UTC; weeks are ISO 8601 weeks (Monday to Sunday). "Within" counts back from
/// the newest snapshot of the group, not from now, so a repository whose backups stopped does not empty itself.
/// </remarks>
public sealed record RetentionPolicy
{
    /// <summary>Keep the newest N snapshots.</summary>
    public int? KeepLast { get; init; }

    /// <summary>Keep the newest snapshot of each of the last N hours that have one.</summary>
    public int? KeepHourly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last N days that have one.</summary>
    public int? KeepDaily { get; init; }

    /// <summary>Keep the newest snapshot of each of the last N ISO weeks that have one.</summary>
    public int? KeepWeekly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last N months that have one.</summary>
    public int? KeepMonthly { get; init; }

    /// <summary>Keep the newest snapshot of each of the last N years that have one.</summary>
    public int? KeepYearly { get; init; }

    /// <summary>Keep every snapshot taken within this long before the group's newest snapshot.</summary>
    public TimeSpan? KeepWithin { get; init; }

    /// <summary>What separates groups; default host and paths.</summary>
    public SnapshotGrouping GroupBy { get; init; } = SnapshotGrouping.Host | SnapshotGrouping.Paths;

    /// <summary>True when no rule keeps anything, which would remove every snapshot not on hold.</summary>
    public bool KeepsNothing => KeepLast is null && KeepHourly is null && KeepDaily is null && KeepWeekly is null
        && KeepMonthly is null && KeepYearly is null && KeepWithin is null;

    /// <summary>Checks the policy: counts at least 1, a positive duration, and at least one rule.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">A rule is out of range, or the policy keeps nothing.</exception>
    public RetentionPolicy Validate()
    {
        foreach (var (name, value) in new[] { ("KeepLast", KeepLast), ("KeepHourly", KeepHourly), ("KeepDaily", KeepDaily), ("KeepWeekly", KeepWeekly), ("KeepMonthly", KeepMonthly), ("KeepYearly", KeepYearly) })
        {
            if (value is < 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; keep counts are at least 1 (leave the rule out to not use it)."), name);
            }
        }

        if (KeepWithin is { } within && within <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KeepWithin is {within}; give a positive duration such as 30.00:00:00.", nameof(KeepWithin));
        }

        return KeepsNothing
            ? throw new ArgumentException("This policy keeps nothing, so it would remove every snapshot. Give at least one rule, for example -KeepDaily 7 -KeepWeekly 4.")
            : this;
    }

    /// <summary>The policy in restic's words, for messages: <c>last 3, daily 7, weekly 4</c>.</summary>
    /// <returns>The rules that are set.</returns>
    public override string ToString()
    {
        var rules = new List<string>();
        void Add(string name, int? count)
        {
            if (count is { } value)
            {
                rules.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }

        Add("last", KeepLast);
        Add("hourly", KeepHourly);
        Add("daily", KeepDaily);
        Add("weekly", KeepWeekly);
        Add("monthly", KeepMonthly);
        Add("yearly", KeepYearly);
        if (KeepWithin is { } within)
        {
            rules.Add("within " + within.ToString("c", CultureInfo.InvariantCulture));
        }

        return rules.Count == 0 ? "nothing" : string.Join(", ", rules);
    }
}
