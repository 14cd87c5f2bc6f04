using System.Globalization;
using System.Management.Automation;
using System.Text.Json.Nodes;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>
/// Set-ForgeRetentionPolicy and Invoke-ForgeRetention with -Repository, legal holds, Remove-ForgeBackup and
/// Optimize-ForgeRepository, against the example worked by hand in docs/design.md ("Retention and legal holds").
/// </summary>
public sealed class RepositoryRetentionTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    // 400 daily snapshots at 02:00 UTC, 2025-10-21 to 2026-11-24, as in Core's planner tests and docs/design.md.
    private static readonly DateTimeOffset First = new(2025, 10, 21, 2, 0, 0, TimeSpan.Zero);

    private const string HandWorked = "-KeepDaily 7 -KeepWeekly 4 -KeepMonthly 12 -KeepYearly 2";

    [Fact]
    public void WhatIf_over_400_dailies_keeps_exactly_the_hand_worked_twenty_with_their_rules_and_removes_nothing()
    {
        var repository = new TestRepository(shell).Create();
        Daily(repository, 400);

        var version = Assert.Single(repository.Run($"Set-ForgeRetentionPolicy -Repository $repo -KeyFile $key {HandWorked}").ShouldSucceed().Output);
        var decisions = repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -WhatIf").ShouldSucceed().Output;

        Assert.Equal("RetentionPolicyVersion", version.TypeName());
        Assert.Equal(1L, version.Get<long>("Version"));
        Assert.Equal(400, decisions.Count);
        Assert.All(decisions, decision => Assert.Equal("RetentionDecision", decision.TypeName()));
        var kept = decisions.Where(decision => decision.Get<bool>("Keep")).Select(Day).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
            "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-08", "2026-11-15", "2026-11-18", "2026-11-19", "2026-11-20",
            "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24",
        ], kept);
        Assert.Equal(["daily 2026-11-24", "weekly 2026-W48", "monthly 2026-11", "yearly 2026"], Reasons(decisions, "2026-11-24"));
        Assert.Equal(["daily 2026-11-22", "weekly 2026-W47"], Reasons(decisions, "2026-11-22"));
        Assert.Equal(["weekly 2026-W46"], Reasons(decisions, "2026-11-15"));
        Assert.Equal(["monthly 2025-12", "yearly 2025"], Reasons(decisions, "2025-12-31"));
        Assert.Equal(["monthly 2026-02"], Reasons(decisions, "2026-02-28"));
        Assert.Empty(Reasons(decisions, "2026-11-17"));
        Assert.Equal(400, repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key").ShouldSucceed().Output.Count);
    }

    [Fact]
    public void Held_snapshot_survives_every_policy_and_a_direct_delete_until_the_hold_is_cleared()
    {
        var repository = new TestRepository(shell).Create();
        var ids = Daily(repository, 60);
        var held = ids[0];

        var hold = Assert.Single(repository.Run("Set-ForgeLegalHold -Repository $repo -KeyFile $key -Id $id -Reason 'case 42'", ("id", held[..10])).ShouldSucceed().Output);
        Assert.Equal(held, hold.Get<string>("SnapshotId"));
        Assert.Equal("case 42", hold.Get<string>("Reason"));

        foreach (var policy in new[] { "-KeepLast 1", HandWorked, "-KeepWithin 1d", "-KeepYearly 1" })
        {
            repository.Run($"$null = Set-ForgeRetentionPolicy -Repository $repo -KeyFile $key {policy}").ShouldSucceed();
            var planned = Assert.Single(repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -WhatIf").ShouldSucceed().Output,
                decision => decision.Get<string>("Id") == held);
            var forgotten = Assert.Single(repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -Confirm:$false").ShouldSucceed().Output);

            Assert.True(planned.Get<bool>("Keep"), policy);
            Assert.Contains("legal hold: case 42", planned.Items("Reasons").Select(reason => (string)reason.BaseObject));
            Assert.Equal("ForgetResult", forgotten.TypeName());
            Assert.DoesNotContain(held, forgotten.Items("Removed").Select(id => (string)id.BaseObject));
            Assert.Contains(held, SnapshotIds(repository));
        }

        Assert.Single(repository.Run("Get-ForgeLegalHold -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        var refused = repository.Run("Remove-ForgeBackup -Repository $repo -KeyFile $key -Id $id -Confirm:$false", ("id", held));
        Assert.Contains("LegalHold,ForgeOne.Commands.RemoveForgeBackupCommand", refused.ErrorIds);
        Assert.Contains(held, SnapshotIds(repository));

        var cleared = Assert.Single(repository.Run("Clear-ForgeLegalHold -Repository $repo -KeyFile $key -Id $id -Confirm:$false", ("id", held)).ShouldSucceed().Output);
        repository.Run("Remove-ForgeBackup -Repository $repo -KeyFile $key -Id $id -Confirm:$false", ("id", held)).ShouldSucceed();

        Assert.Equal(held, cleared.Get<string>("SnapshotId"));
        Assert.DoesNotContain(held, SnapshotIds(repository));
        Assert.Empty(repository.Run("Get-ForgeLegalHold -Repository $repo -KeyFile $key").ShouldSucceed().Output);
    }

    [Fact]
    public void Retention_with_Prune_removes_the_forgotten_snapshot_and_frees_its_data()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var old = repository.Backup();
        File.WriteAllBytes(Path.Combine(repository.Source, "large.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        var kept = repository.Backup();
        repository.Run("$null = Set-ForgeRetentionPolicy -Repository $repo -KeyFile $key -KeepLast 1").ShouldSucceed();

        var dryRun = Assert.Single(repository.Run("Optimize-ForgeRepository -Repository $repo -KeyFile $key -WhatIf").ShouldSucceed().Output);
        var output = repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -Prune -Confirm:$false").ShouldSucceed().Output;

        Assert.True(dryRun.Get<bool>("DryRun"));
        Assert.Equal(0L, dryRun.Get<long>("BytesFreed"));
        Assert.Equal(["ForgetResult", "PruneResult"], output.Select(o => o.TypeName()));
        Assert.Equal([old.Get<string>("Id")], output[0].Items("Removed").Select(id => (string)id.BaseObject));
        Assert.False(output[1].Get<bool>("DryRun"));
        Assert.True(output[1].Get<long>("BytesFreed") >= 3 << 20, $"freed {output[1].Get<long>("BytesFreed")}");
        Assert.Equal([kept.Get<string>("Id")], SnapshotIds(repository));
        var check = Assert.Single(repository.Run("Test-ForgeRepository -Repository $repo -KeyFile $key -ReadData").ShouldSucceed().Output);
        Assert.True(check.Get<bool>("Passed"));
    }

    [Fact]
    public void Optimize_ForgeRepository_prunes_after_a_direct_remove()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var old = repository.Backup();
        File.WriteAllBytes(Path.Combine(repository.Source, "large.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        repository.Backup();

        repository.Run("Remove-ForgeBackup -Repository $repo -KeyFile $key -Id $id -Confirm:$false", ("id", old.Get<string>("Id"))).ShouldSucceed();
        var pruned = Assert.Single(repository.Run("Optimize-ForgeRepository -Repository $repo -KeyFile $key -Confirm:$false").ShouldSucceed().Output);

        Assert.Equal("PruneResult", pruned.TypeName());
        Assert.True(pruned.Get<long>("BytesFreed") >= 3 << 20);
        Assert.True(pruned.Get<TimeSpan>("Duration") > TimeSpan.Zero);
    }

    [Fact]
    public void Retention_without_a_stored_policy_is_an_error_saying_how_to_set_one()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var result = repository.Run("Invoke-ForgeRetention -Repository $repo -KeyFile $key -WhatIf");

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("InvalidArgument,ForgeOne.Commands.InvokeForgeRetentionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Set-ForgeRetentionPolicy", error.Exception.Message);
    }

    /// <summary>Replaces the repository's one real snapshot by <paramref name="count"/> copies dated a day apart from <see cref="First"/>.</summary>
    private static List<string> Daily(TestRepository repository, int count)
    {
        var real = repository.Backup();
        using var opened = ReflectedRepository.Open(real.BaseObject, repository.Location, repository.KeyFile);
        var template = JsonNode.Parse(opened.SnapshotJson(real.Get<string>("Id")))!;
        var ids = new List<string>();
        for (var day = 0; day < count; day++)
        {
            var time = First.AddDays(day);
            template["time"] = Time(time);
            template["endTime"] = Time(time.AddMinutes(5));
            ids.Add(opened.SaveSnapshot(System.Text.Encoding.UTF8.GetBytes(template.ToJsonString())));
        }

        opened.DeleteSnapshot(real.Get<string>("Id"));
        return ids;
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Day(PSObject decision) => decision.Get<DateTimeOffset>("Time").UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<string> Reasons(IEnumerable<PSObject> decisions, string day) =>
        [.. Assert.Single(decisions, decision => Day(decision) == day).Items("Reasons").Select(reason => (string)reason.BaseObject)];

    private static List<string> SnapshotIds(TestRepository repository) =>
        [.. repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key").ShouldSucceed().Output.Select(s => s.Get<string>("Id"))];
}
