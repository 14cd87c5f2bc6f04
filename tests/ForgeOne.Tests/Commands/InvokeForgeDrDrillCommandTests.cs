using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class InvokeForgeDrDrillCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Drill_within_both_objectives_with_a_passing_validation_passes_every_check()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();

        var drill = Assert.Single(repository.Run("""
            Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -RpoObjective '24:00:00' -RtoObjective '08:00:00' -Validation {
                param($Path)
                [IO.File]::ReadAllText("$Path/data/readme.txt") -eq "ForgeOne sample data`n"
            }
            """).ShouldSucceed().Output);

        Assert.Equal("DrDrillResult", drill.TypeName());
        Assert.True(drill.Get<bool>("Passed"));
        Assert.Equal(["restore", "dna", "validation", "rto", "rpo"], Names(drill.Items("Checks")));
        Assert.All(drill.Items("Checks"), check => Assert.True(check.Get<bool>("Passed"), check.Get<string>("Detail")));
        Assert.Equal(snapshot.Get<string>("Id"), drill.Get<string>("SnapshotId"));
        Assert.Equal(snapshot.Get<string>("DnaHash"), drill.Get<string>("DnaHash"));
        Assert.Equal(TimeSpan.FromHours(24), drill.Get<TimeSpan?>("RpoObjective"));
        Assert.Equal(TimeSpan.FromHours(8), drill.Get<TimeSpan?>("RtoObjective"));
        Assert.True(drill.Get<TimeSpan>("Rto") > TimeSpan.Zero);
        Assert.Equal(repository.Location, drill.Get<string>("Repository"));
    }

    [Fact]
    public void Drill_fails_on_the_recovery_point_objective_naming_rpo_only()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var drill = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -RpoObjective '00:00:00.001' -RtoObjective '08:00:00'").ShouldSucceed().Output);

        Assert.False(drill.Get<bool>("Passed"));
        Assert.Equal(["rpo"], Names(drill.Items("Failures")));
    }

    [Fact]
    public void Drill_fails_on_the_recovery_time_objective_naming_rto_only()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        // One tick: no restore is that fast, so the measured RTO always exceeds it.
        var drill = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -RtoObjective ([timespan]1) -RpoObjective 2d").ShouldSucceed().Output);

        Assert.False(drill.Get<bool>("Passed"));
        Assert.Equal(TimeSpan.FromDays(2), drill.Get<TimeSpan?>("RpoObjective"));
        Assert.Equal(["rto"], Names(drill.Items("Failures")));
        Assert.Contains("objective", Assert.Single(drill.Items("Failures")).Get<string>("Detail"));
    }

    [Fact]
    public void Validation_returning_false_fails_the_drill_naming_validation()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var drill = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -Validation { param($Path) $false }").ShouldSucceed().Output);

        Assert.False(drill.Get<bool>("Passed"));
        Assert.Equal(["validation"], Names(drill.Items("Failures")));
    }

    [Fact]
    public void Validation_that_throws_fails_the_check_with_its_message_and_sees_the_restored_tree()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var drill = Assert.Single(repository.Run("""
            Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Latest -Validation {
                if (-not [IO.File]::Exists("$_/data/docs/nested/deep.txt")) { throw 'restored tree is missing deep.txt' }
                throw 'orders table has no rows'
            }
            """).ShouldSucceed().Output);

        var failure = Assert.Single(drill.Items("Failures"));
        Assert.Equal("validation", failure.Get<string>("Name"));
        Assert.Contains("orders table has no rows", failure.Get<string>("Detail"));
    }

    [Fact]
    public void Scratch_folder_is_removed_and_every_drill_is_listed_by_Get_ForgeDrDrill()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();
        var scratch = Path.Combine(repository.Root, "scratch");

        var first = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Id $id -Scratch $scratch",
            ("id", snapshot.Get<string>("ShortId")), ("scratch", scratch)).ShouldSucceed().Output);
        var second = Assert.Single(repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key -Validation { $false }").ShouldSucceed().Output);
        var listed = repository.Run("Get-ForgeDrDrill -Repository $repo -KeyFile $key").ShouldSucceed().Output;
        var last = Assert.Single(repository.Run("Get-ForgeDrDrill -Repository $repo -KeyFile $key -Last 1").ShouldSucceed().Output);

        Assert.True(first.Get<bool>("Passed"));
        Assert.False(Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any());
        Assert.Equal([first.Get<string>("Id"), second.Get<string>("Id")], listed.Select(drill => drill.Get<string>("Id")));
        Assert.Equal(second.Get<string>("Id"), last.Get<string>("Id"));
        Assert.False(last.Get<bool>("Passed"));
        Assert.Equal(["validation"], Names(last.Items("Failures")));
    }

    [Fact]
    public void Drill_of_an_empty_repository_is_a_SnapshotNotFound_error()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Invoke-ForgeDrDrill -Repository $repo -KeyFile $key");

        Assert.Empty(result.Output);
        Assert.Contains("SnapshotNotFound,ForgeOne.Commands.InvokeForgeDrDrillCommand", result.ErrorIds);
    }

    private static List<string> Names(IReadOnlyList<PSObject> checks) => [.. checks.Select(check => check.Get<string>("Name"))];
}
