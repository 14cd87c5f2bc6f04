using ForgeOne.Core.Repository.Locking;

namespace ForgeOne.Core.Tests.Repository.Locking;

/// <summary>What the "repository is locked" message tells the user for each kind of holder.</summary>
public sealed class RepositoryLockedExceptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static LockInfo Holder(string id, bool stale = false, bool exclusive = false) => new()
    {
        Id = id,
        Host = "build-02",
        User = "bob",
        ProcessId = 4242,
        Exclusive = exclusive,
        Operation = "backup",
        Created = Now - TimeSpan.FromHours(2) - TimeSpan.FromMinutes(5),
        Refreshed = stale ? Now - TimeSpan.FromHours(1) : Now - TimeSpan.FromMinutes(3),
        IsStale = stale,
        StaleReason = stale ? "not refreshed for 1h 0m, longer than 30m 0s" : null,
    };

    [Fact]
    public void A_live_holder_is_listed_with_host_user_process_operation_and_age()
    {
        var ex = new RepositoryLockedException("/srv/repo", "prune", exclusive: true, [Holder(new string('1', 64))], Now);

        Assert.Equal(
            "Repository '/srv/repo' is locked: prune needs an exclusive lock, but this lock is held:" + Environment.NewLine +
            "  - lock 11111111 (shared, backup) by bob on build-02, process 4242, created 2h 5m ago, refreshed 3m 0s ago" +
            Environment.NewLine +
            "Wait for that operation to finish, then retry.",
            ex.Message);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public void Stale_holders_are_marked_with_the_command_that_removes_them()
    {
        var ex = new RepositoryLockedException("/srv/my repo", "backup", exclusive: false,
            [Holder(new string('2', 64), stale: true, exclusive: true), Holder(new string('3', 64), exclusive: true)], Now);

        Assert.Contains("these 2 locks are held:", ex.Message);
        Assert.Contains("refreshed 1h 0m ago; STALE: not refreshed for 1h 0m, longer than 30m 0s", ex.Message);
        Assert.Contains("Wait for that operation to finish", ex.Message);
        Assert.EndsWith("Run `forge repo unlock --repo \"/srv/my repo\"` or `Unlock-ForgeRepository` to remove stale locks.",
            ex.Message);
        Assert.Equal(2, ex.Holders.Count);
    }

    [Fact]
    public void Values_from_other_clients_are_cleaned_for_the_message()
    {
        var holder = Holder(new string('4', 64)) with { User = "eve\u001b[2J", Host = new string('h', 200) };

        var ex = new RepositoryLockedException("/r", "prune", true, [holder], Now);

        Assert.Contains("by eve?[2J on " + new string('h', 64) + "…,", ex.Message);
    }
}
