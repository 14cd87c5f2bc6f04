using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class SnapshotFilterTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Snapshot[] All =
    [
        Make(1, 5, "web01", ["/srv"], ["daily"]),
        Make(2, 1, "WEB01", ["/srv", "/etc"], ["weekly", "daily"]),
        Make(3, 3, "db01", ["/var/lib/db"], []),
        Make(4, 2, "web01", ["/etc"], ["manual"]),
        Make(5, 4, "db01", ["/var/lib/db"], ["daily"]),
    ];

    private static Snapshot Make(int number, int day, string host, string[] paths, string[] tags) => new()
    {
        Id = new string((char)('0' + number), 64),
        Time = Day.AddDays(day),
        EndTime = Day.AddDays(day).AddMinutes(1),
        Host = host,
        User = "root",
        Paths = paths,
        Tags = tags,
        Tree = new string('a', 64),
    };

    private static int[] Numbers(IEnumerable<Snapshot> snapshots) => snapshots.Select(s => s.Id![0] - '0').ToArray();

    [Fact]
    public void Empty_filter_keeps_everything_oldest_first()
    {
        Assert.Equal([2, 4, 3, 5, 1], Numbers(new SnapshotFilter().Apply(All)));
    }

    [Fact]
    public void Host_matches_case_insensitively()
    {
        Assert.Equal([2, 4, 1], Numbers(new SnapshotFilter { Host = "web01" }.Apply(All)));
    }

    [Fact]
    public void Path_matches_one_of_the_backed_up_paths_exactly()
    {
        Assert.Equal([2, 4], Numbers(new SnapshotFilter { Path = "/etc" }.Apply(All)));
        Assert.Empty(new SnapshotFilter { Path = "/et" }.Apply(All));
    }

    [Fact]
    public void Tag_matches_any_of_the_given_tags()
    {
        Assert.Equal([2, 4], Numbers(new SnapshotFilter { Tag = ["manual", "weekly"] }.Apply(All)));
        Assert.Equal(5, new SnapshotFilter { Tag = [] }.Apply(All).Count());
    }

    [Fact]
    public void Since_and_until_are_inclusive_instants()
    {
        var filter = new SnapshotFilter { Since = Day.AddDays(2), Until = Day.AddDays(4).ToOffset(TimeSpan.FromHours(-5)) };
        Assert.Equal([4, 3, 5], Numbers(filter.Apply(All)));
    }

    [Fact]
    public void Latest_keeps_the_newest_after_the_other_criteria()
    {
        Assert.Equal([5, 1], Numbers(new SnapshotFilter { Latest = 2 }.Apply(All)));
        Assert.Equal([4, 1], Numbers(new SnapshotFilter { Host = "web01", Latest = 2 }.Apply(All)));
        Assert.Equal([3, 5], Numbers(new SnapshotFilter { Host = "db01", Latest = 10 }.Apply(All)));
    }

    [Fact]
    public void Criteria_combine_with_and()
    {
        Assert.Equal([1], Numbers(new SnapshotFilter { Host = "web01", Tag = ["daily"], Path = "/srv", Since = Day.AddDays(3) }.Apply(All)));
    }

    [Fact]
    public void Latest_must_keep_at_least_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SnapshotFilter { Latest = 0 });
    }
}
