using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class GetForgeBackupCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Lists_every_snapshot_oldest_first_with_its_Repository()
    {
        var repository = new TestRepository(shell).Create();
        var ids = new[] { repository.Backup(), repository.Backup(), repository.Backup() }.Select(s => s.Get<string>("Id")).ToList();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key").ShouldSucceed();

        Assert.Equal(ids, result.Output.Select(s => s.Get<string>("Id")));
        Assert.All(result.Output, s => Assert.Equal("Snapshot", s.TypeName()));
        Assert.All(result.Output, s => Assert.Equal(repository.Location, s.Get<string>("Repository")));
    }

    [Fact]
    public void A_damaged_snapshot_object_is_skipped_with_a_warning_naming_it()
    {
        var repository = new TestRepository(shell).Create();
        var good = repository.Backup().Get<string>("Id");
        var bad = repository.Backup().Get<string>("Id");
        var path = Path.Join(repository.Location, "snapshots", bad);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key").ShouldSucceed();

        Assert.Equal([good], result.Output.Select(s => s.Get<string>("Id")));
        Assert.Contains(bad[..8], Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Latest_keeps_the_newest_snapshots()
    {
        var repository = new TestRepository(shell).Create();
        var ids = new[] { repository.Backup(), repository.Backup(), repository.Backup() }.Select(s => s.Get<string>("Id")).ToList();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Latest 2").ShouldSucceed();

        Assert.Equal(ids[1..], result.Output.Select(s => s.Get<string>("Id")));
    }

    [Fact]
    public void From_and_To_keep_snapshots_taken_within_the_time_both_inclusive()
    {
        var repository = new TestRepository(shell).Create();
        var snapshots = new[] { repository.Backup(), repository.Backup(), repository.Backup() };
        var ids = snapshots.Select(s => s.Get<string>("Id")).ToList();
        var times = snapshots.Select(s => s.Get<DateTimeOffset>("Time")).ToList();

        var fromSecond = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -From $t", ("t", times[1].UtcDateTime)).ShouldSucceed();
        var toSecond = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -To $t", ("t", times[1].UtcDateTime)).ShouldSucceed();
        var onlySecond = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -From $t -To $t", ("t", times[1].UtcDateTime)).ShouldSucceed();

        // A date without a zone is local time, as elsewhere in PowerShell: a day ahead of the newest keeps nothing.
        var tomorrow = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -From $t",
            ("t", DateTime.SpecifyKind(times[2].LocalDateTime.AddDays(1), DateTimeKind.Unspecified))).ShouldSucceed();

        Assert.Equal(ids[1..], fromSecond.Output.Select(s => s.Get<string>("Id")));
        Assert.Equal(ids[..2], toSecond.Output.Select(s => s.Get<string>("Id")));
        Assert.Equal([ids[1]], onlySecond.Output.Select(s => s.Get<string>("Id")));
        Assert.Empty(tomorrow.Output);
    }

    [Fact]
    public void Tag_keeps_snapshots_with_any_of_the_tags()
    {
        var repository = new TestRepository(shell).Create();
        var nightly = repository.Backup("nightly");
        repository.Backup("manual");
        var weekly = repository.Backup("weekly");

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Tag nightly, weekly").ShouldSucceed();

        Assert.Equal([nightly.Get<string>("Id"), weekly.Get<string>("Id")], result.Output.Select(s => s.Get<string>("Id")));
    }

    [Fact]
    public void HostName_matches_case_insensitively_and_Host_is_its_alias()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var mine = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Host $name", ("name", Environment.MachineName.ToUpperInvariant())).ShouldSucceed();
        var other = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -HostName some-other-host").ShouldSucceed();

        Assert.Single(mine.Output);
        Assert.Empty(other.Output);
    }

    [Fact]
    public void Path_keeps_snapshots_of_exactly_that_path_given_with_a_trailing_separator()
    {
        var repository = new TestRepository(shell).Create();
        var ofSource = repository.Backup();
        var docs = Path.Combine(repository.Source, "docs");
        repository.Run("$null = New-ForgeBackup -Repository $repo -KeyFile $key -Path $docs", ("docs", docs)).ShouldSucceed();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Path $path", ("path", repository.Source + Path.DirectorySeparatorChar))
            .ShouldSucceed();

        Assert.Equal(ofSource.Get<string>("Id"), Assert.Single(result.Output).Get<string>("Id"));
    }

    [Fact]
    public void Id_accepts_a_unique_prefix_and_latest()
    {
        var repository = new TestRepository(shell).Create();
        var first = repository.Backup();
        var second = repository.Backup();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Id $prefix, latest", ("prefix", first.Get<string>("Id")[..12]))
            .ShouldSucceed();

        Assert.Equal([first.Get<string>("Id"), second.Get<string>("Id")], result.Output.Select(s => s.Get<string>("Id")));
    }

    [Fact]
    public void Unknown_id_is_a_non_terminating_SnapshotNotFound_error_and_the_other_ids_still_come_out()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();
        var unknown = snapshot.Get<string>("Id")[0] == 'f' ? "eeeeeeee" : "ffffffff";

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Id $unknown, $id",
            ("unknown", unknown), ("id", snapshot.Get<string>("Id")));

        Assert.Null(result.Terminating);
        Assert.Equal(["SnapshotNotFound,ForgeOne.Commands.GetForgeBackupCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Equal(unknown, result.Errors[0].TargetObject);
        Assert.Equal(snapshot.Get<string>("Id"), Assert.Single(result.Output).Get<string>("Id"));
    }

    [Fact]
    public void Id_that_is_not_hex_is_an_InvalidArgument_error()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Id not-an-id");

        Assert.Equal(["InvalidArgument,ForgeOne.Commands.GetForgeBackupCommand"], result.ErrorIds);
    }

    [Fact]
    public void Snapshots_pipe_back_in_by_Id_and_Repository()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key | Get-ForgeBackup -KeyFile $key").ShouldSucceed();

        Assert.Equal(snapshot.Get<string>("Id"), Assert.Single(result.Output).Get<string>("Id"));
    }

    [Fact]
    public void Empty_repository_lists_nothing()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key").ShouldSucceed();

        Assert.Empty(result.Output);
    }
}
