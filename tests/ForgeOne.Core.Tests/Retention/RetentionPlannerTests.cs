using System.Globalization;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Retention;

public sealed class RetentionPlannerTests
{
    // 400 daily snapshots at 02:00 UTC, 2025-10-21 to 2026-11-24: the example worked by hand in docs/design.md.
    private static readonly DateTimeOffset First = new(2025, 10, 21, 2, 0, 0, TimeSpan.Zero);

    private static readonly RetentionPolicy HandWorked = new() { KeepDaily = 7, KeepWeekly = 4, KeepMonthly = 12, KeepYearly = 2 };

    [Fact]
    public void The_hand_worked_policy_keeps_exactly_the_twenty_snapshots_worked_out_by_hand()
    {
        var plan = RetentionPlanner.Plan(Daily(400), HandWorked);

        var kept = plan.Kept.Select(decision => decision.Time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(
        [
            "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
            "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-08", "2026-11-15", "2026-11-18", "2026-11-19", "2026-11-20",
            "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24",
        ], kept);
        Assert.Equal(380, plan.Removed.Count);
    }

    [Theory]
    [InlineData("2026-11-24", new[] { "daily 2026-11-24", "weekly 2026-W48", "monthly 2026-11", "yearly 2026" })]
    [InlineData("2026-11-22", new[] { "daily 2026-11-22", "weekly 2026-W47" })]
    [InlineData("2026-11-15", new[] { "weekly 2026-W46" })]
    [InlineData("2025-12-31", new[] { "monthly 2025-12", "yearly 2025" })]
    [InlineData("2026-02-28", new[] { "monthly 2026-02" })]
    public void Each_kept_snapshot_names_every_rule_that_keeps_it(string day, string[] reasons)
    {
        var plan = RetentionPlanner.Plan(Daily(400), HandWorked);

        var decision = Assert.Single(plan.Decisions, d => d.Time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == day);
        Assert.True(decision.Keep);
        Assert.Equal(reasons, decision.Reasons);
    }

    [Fact]
    public void A_held_snapshot_survives_every_policy_without_using_up_a_rule()
    {
        var snapshots = Daily(400);
        var held = snapshots[10];
        var holds = new Dictionary<string, LegalHold>
        {
            [held.Id!] = new() { SnapshotId = held.Id!, Reason = "case 42", SetBy = "legal", SetAt = DateTimeOffset.UtcNow },
        };

        foreach (var policy in new RetentionPolicy[] { new() { KeepLast = 1 }, HandWorked, new() { KeepWithin = TimeSpan.FromDays(1) }, new() { KeepYearly = 1 } })
        {
            var plan = RetentionPlanner.Plan(snapshots, policy, holds);
            var decision = Assert.Single(plan.Decisions, d => d.Id == held.Id);
            Assert.True(decision.Keep);
            Assert.Contains("legal hold: case 42", decision.Reasons);
            Assert.Equal(RetentionPlanner.Plan(snapshots, policy).Kept.Count + 1, plan.Kept.Count);
        }
    }

    [Fact]
    public void Last_and_within_count_from_the_newest_snapshot_not_from_now()
    {
        var snapshots = Daily(30);

        var last = RetentionPlanner.Plan(snapshots, new RetentionPolicy { KeepLast = 3 });
        var within = RetentionPlanner.Plan(snapshots, new RetentionPolicy { KeepWithin = TimeSpan.FromDays(4) });

        Assert.Equal(snapshots.OrderByDescending(s => s.Time).Take(3).Select(s => s.Id), last.Kept.Select(d => d.Id));
        Assert.Equal(5, within.Kept.Count);
    }

    [Fact]
    public void Hosts_and_paths_are_judged_apart()
    {
        var snapshots = Daily(5, host: "a").Concat(Daily(5, host: "b")).ToList();

        var plan = RetentionPlanner.Plan(snapshots, new RetentionPolicy { KeepLast = 2 });

        Assert.Equal(4, plan.Kept.Count);
        Assert.Equal(2, plan.Kept.Select(d => d.Group).Distinct().Count());
        Assert.Single(RetentionPlanner.Plan(snapshots, new RetentionPolicy { KeepLast = 2, GroupBy = SnapshotGrouping.None }).Kept.Select(d => d.Group).Distinct());
    }

    [Fact]
    public void A_policy_that_keeps_nothing_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(Daily(3), new RetentionPolicy()));

        Assert.Contains("keeps nothing", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RetentionPlanner.Plan(Daily(3), new RetentionPolicy { KeepDaily = 0 }));
    }

    internal static List<Snapshot> Daily(int count, string host = "db01")
    {
        var snapshots = new List<Snapshot>();
        for (var day = 0; day < count; day++)
        {
            var time = First.AddDays(day);
            snapshots.Add(new Snapshot
            {
                Id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(host + day))).ToLowerInvariant(),
                Time = time,
                EndTime = time.AddMinutes(5),
                Host = host,
                User = "backup",
                Paths = ["/var/lib/data"],
                Tree = new string('0', 64),
            });
        }

        return snapshots;
    }
}
