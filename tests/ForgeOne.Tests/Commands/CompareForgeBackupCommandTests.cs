using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class CompareForgeBackupCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Lists_added_removed_and_modified_paths_after_the_data_changed()
    {
        var repository = new TestRepository(shell).Create();
        var before = repository.Backup();
        File.WriteAllText(Path.Combine(repository.Source, "new.txt"), "added");
        File.Delete(Path.Combine(repository.Source, "empty.bin"));
        File.WriteAllText(Path.Combine(repository.Source, "readme.txt"), "changed, and longer than before");
        var after = repository.Backup();

        var result = repository.Run("Compare-ForgeBackup -Repository $repo -KeyFile $key -ReferenceId $old -DifferenceId $new",
            ("old", before.Get<string>("Id")), ("new", after.Get<string>("Id"))).ShouldSucceed();

        Assert.All(result.Output, d => Assert.Equal("SnapshotDifference", d.TypeName()));
        var changes = result.Output.ToDictionary(d => d.Get<string>("Path"), d => d.Get("Change")!.ToString());
        Assert.Equal("Added", changes["data/new.txt"]);
        Assert.Equal("Removed", changes["data/empty.bin"]);
        Assert.Equal("Modified", changes["data/readme.txt"]);
        Assert.DoesNotContain("data/docs/report.bin", changes.Keys);
        var modified = result.Output.Single(d => d.Get<string>("Path") == "data/readme.txt");
        Assert.Equal(31L, modified.Get<long?>("NewSize"));
    }

    [Fact]
    public void Snapshots_of_the_same_content_have_no_differences()
    {
        var repository = new TestRepository(shell).Create();
        var first = repository.Backup();
        repository.Backup();

        var result = repository.Run("Compare-ForgeBackup -Repository $repo -KeyFile $key $id latest", ("id", first.Get<string>("Id"))).ShouldSucceed();

        Assert.Empty(result.Output);
    }

    [Fact]
    public void DifferenceId_binds_to_the_Id_of_a_piped_snapshot()
    {
        var repository = new TestRepository(shell).Create();
        var first = repository.Backup();
        File.WriteAllText(Path.Combine(repository.Source, "new.txt"), "added");

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source | Compare-ForgeBackup -KeyFile $key -ReferenceId $id",
            ("id", first.Get<string>("Id"))).ShouldSucceed();

        Assert.Contains(result.Output, d => d.Get<string>("Path") == "data/new.txt" && d.Get("Change")!.ToString() == "Added");
    }

    [Fact]
    public void Unknown_snapshot_is_a_non_terminating_SnapshotNotFound_error()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();
        var unknown = snapshot.Get<string>("Id")[0] == 'f' ? "eeeeeeee" : "ffffffff";

        var result = repository.Run("Compare-ForgeBackup -Repository $repo -KeyFile $key $unknown latest", ("unknown", unknown));

        Assert.Null(result.Terminating);
        Assert.Equal(["SnapshotNotFound,ForgeOne.Commands.CompareForgeBackupCommand"], result.ErrorIds);
        Assert.Empty(result.Output);
    }
}
