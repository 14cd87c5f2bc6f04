using ForgeOne.Core.Retention;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Retention;

public sealed class RepositoryPoliciesTests
{
    [Fact]
    public async Task Every_policy_version_is_kept_and_the_newest_is_in_force()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var policies = new RepositoryPolicies(context.Repository);

        Assert.Null(await policies.GetRetentionPolicyAsync());
        await policies.SetRetentionPolicyAsync(new RetentionPolicy { KeepDaily = 7 }, "alice");
        await policies.SetRetentionPolicyAsync(new RetentionPolicy { KeepDaily = 14, KeepMonthly = 6 }, "bob");

        var current = await policies.GetRetentionPolicyAsync();
        Assert.Equal(2, current!.Version);
        Assert.Equal(14, current.Policy.KeepDaily);
        Assert.Equal("bob", current.ChangedBy);
        Assert.Equal(["alice", "bob"], (await policies.GetRetentionHistoryAsync()).Select(v => v.ChangedBy));
    }

    [Fact]
    public async Task Concurrent_policy_writers_get_distinct_versions()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var policies = new RepositoryPolicies(context.Repository);

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => policies.SetRetentionPolicyAsync(new RetentionPolicy { KeepLast = i }, "writer" + i))));

        Assert.Equal([1L, 2, 3, 4, 5, 6], (await policies.GetRetentionHistoryAsync()).Select(v => v.Version));
    }

    [Fact]
    public async Task A_held_snapshot_is_not_forgotten_by_policy_nor_removed_directly_until_cleared()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var held = await context.BackupAsync();
        var newer = await context.BackupAsync();
        var policies = new RepositoryPolicies(context.Repository);
        await policies.SetHoldAsync(held.Id!, "case 42", "legal");

        var plan = await SnapshotForgetter.PlanAsync(context.Repository, new RetentionPolicy { KeepLast = 1 }, CancellationToken.None);
        var result = await SnapshotForgetter.ForgetAsync(context.Repository, plan, null, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<LegalHoldException>(() => SnapshotForgetter.RemoveAsync(context.Repository, held.Id![..10], CancellationToken.None));

        Assert.Empty(result.Removed);
        Assert.Contains("case 42", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await context.Repository.ListSnapshotIdsAsync()).Count);

        Assert.NotNull(await policies.ClearHoldAsync(held.Id!));
        Assert.Equal(held.Id, await SnapshotForgetter.RemoveAsync(context.Repository, held.Id!, CancellationToken.None));
        Assert.Equal([newer.Id!], await context.Repository.ListSnapshotIdsAsync());
    }

    [Fact]
    public async Task A_hold_set_after_planning_still_spares_its_snapshot()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var older = await context.BackupAsync();
        await context.BackupAsync();
        var plan = await SnapshotForgetter.PlanAsync(context.Repository, new RetentionPolicy { KeepLast = 1 }, CancellationToken.None);
        await new RepositoryPolicies(context.Repository).SetHoldAsync(older.Id!, "late hold", "legal");

        var result = await SnapshotForgetter.ForgetAsync(context.Repository, plan, null, CancellationToken.None);

        Assert.Equal([older.Id!], result.SparedByHold);
        Assert.Contains(older.Id, await context.Repository.ListSnapshotIdsAsync());
    }

    [Fact]
    public async Task Planning_without_a_stored_or_given_policy_says_how_to_set_one()
    {
        await using var context = await EngineTestContext.CreateAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SnapshotForgetter.PlanAsync(context.Repository, null, CancellationToken.None));

        Assert.Contains("Set-ForgeRetentionPolicy", error.Message, StringComparison.Ordinal);
    }
}
