using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class RestoreForgeBackupCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Round_trip_restores_a_byte_identical_tree_whose_DNA_matches_the_snapshot_and_dna_sh()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key -Latest 1 | Restore-ForgeBackup -KeyFile $key -Destination $dest",
            ("dest", dest)).ShouldSucceed();

        var restore = Assert.Single(result.Output);
        Assert.Equal("RestoreResult", restore.TypeName());
        Assert.Equal(SampleData.Describe(repository.Source), SampleData.Describe(Path.Combine(dest, "data")));
        Assert.True(restore.Get<bool>("Verified"));
        Assert.Empty(restore.Items("Failed"));
        Assert.Empty(restore.Items("Skipped"));
        var dna = restore.Get<string>("DnaHash");
        Assert.Equal(snapshot.Get<string>("DnaHash"), dna);
        Assert.Equal(DnaScript.Run(dest), dna);
        Assert.Equal(snapshot.Get<string>("Id"), restore.Get<string>("SnapshotId"));
        Assert.Equal(snapshot.Get<long>("Files"), restore.Get<long>("Files"));
    }

    [Fact]
    public void Restore_shows_progress()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        repository.Backup();

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest",
            ("dest", Path.Combine(repository.Root, "restore"))).ShouldSucceed();

        Assert.Contains(result.Progress, p => p.Activity == "Restoring" && p.RecordType == ProgressRecordType.Processing);
    }

    [Fact]
    public void Latest_restores_the_newest_snapshot_and_Id_an_older_one()
    {
        var repository = new TestRepository(shell).Create();
        var first = repository.Backup();
        File.WriteAllText(Path.Combine(repository.Source, "second.txt"), "only in the second snapshot");
        var second = repository.Backup();
        var (latestDest, idDest) = (Path.Combine(repository.Root, "latest"), Path.Combine(repository.Root, "by-id"));

        var latest = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest", ("dest", latestDest)).ShouldSucceed();
        var byId = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Id $id -Destination $dest",
            ("dest", idDest), ("id", first.Get<string>("ShortId"))).ShouldSucceed();

        Assert.Equal(second.Get<string>("Id"), latest.Property("SnapshotId"));
        Assert.True(File.Exists(Path.Combine(latestDest, "data", "second.txt")));
        Assert.Equal(first.Get<string>("Id"), byId.Property("SnapshotId"));
        Assert.False(File.Exists(Path.Combine(idDest, "data", "second.txt")));
        Assert.True(File.Exists(Path.Combine(idDest, "data", "readme.txt")));
    }

    [Fact]
    public void Latest_and_Id_are_separate_parameter_sets()
    {
        var repository = new TestRepository(shell).Create();
        var snapshot = repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.RunCatching("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Id $id -Destination $dest",
            ("dest", dest), ("id", snapshot.Get<string>("Id")));

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("AmbiguousParameterSet,", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dest));
    }

    [Fact]
    public void New_ForgeBackup_output_pipes_into_Restore_ForgeBackup()
    {
        var repository = new TestRepository(shell).Create();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source | Restore-ForgeBackup -KeyFile $key -Destination $dest",
            ("dest", dest)).ShouldSucceed();

        Assert.True(Assert.Single(result.Output).Get<bool>("Verified"));
        Assert.Equal(SampleData.Describe(repository.Source), SampleData.Describe(Path.Combine(dest, "data")));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var before = SampleData.Describe(repository.Location);
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest -WhatIf", ("dest", dest))
            .ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(dest));
        Assert.Equal(before, SampleData.Describe(repository.Location));
    }

    [Fact]
    public void Existing_files_are_skipped_with_DestinationExists_errors_and_the_result_still_comes_out()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");
        Directory.CreateDirectory(Path.Combine(dest, "data"));
        File.WriteAllText(Path.Combine(dest, "data", "readme.txt"), "mine");

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest", ("dest", dest));

        Assert.Null(result.Terminating);
        Assert.Equal(["DestinationExists,ForgeOne.Commands.RestoreForgeBackupCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ResourceExists, result.Errors[0].CategoryInfo.Category);
        Assert.Equal("data/readme.txt", result.Errors[0].TargetObject);
        var restore = Assert.Single(result.Output);
        Assert.Equal("data/readme.txt", Assert.Single(restore.Items("Skipped")).Get<string>("Path"));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dest, "data", "readme.txt")));
        Assert.True(File.Exists(Path.Combine(dest, "data", "docs", "report.bin")));
    }

    [Fact]
    public void Force_replaces_existing_files()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");
        Directory.CreateDirectory(Path.Combine(dest, "data"));
        File.WriteAllText(Path.Combine(dest, "data", "readme.txt"), "mine");

        repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest -Force", ("dest", dest)).ShouldSucceed();

        Assert.Equal(File.ReadAllText(Path.Combine(repository.Source, "readme.txt")), File.ReadAllText(Path.Combine(dest, "data", "readme.txt")));
    }

    [Fact]
    public void Include_restores_only_the_selected_paths()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest -Include 'data/docs'", ("dest", dest))
            .ShouldSucceed();

        Assert.True(File.Exists(Path.Combine(dest, "data", "docs", "nested", "deep.txt")));
        Assert.False(File.Exists(Path.Combine(dest, "data", "readme.txt")));
        Assert.True(Assert.Single(result.Output).Get<bool>("Verified"));
    }

    [Fact]
    public void Damaged_chunk_fails_only_its_file_with_a_RestoreFailed_error_and_leaves_no_partial_file()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();
        repository.FlipByteInLargestChunk(snapshot);
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Latest -Destination $dest", ("dest", dest));

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.Equal("RestoreFailed,ForgeOne.Commands.RestoreForgeBackupCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(SampleData.LargeFile, error.TargetObject);
        Assert.Contains(SampleData.LargeFile, error.ToString(), StringComparison.Ordinal);
        var restore = Assert.Single(result.Output);
        Assert.Equal(SampleData.LargeFile, Assert.Single(restore.Items("Failed")).Get<string>("Path"));
        Assert.False(restore.Get<bool>("Verified"));
        Assert.False(File.Exists(Path.Combine(dest, "data", "large.bin")));
        Assert.Empty(Directory.GetFiles(dest, "*.tmp", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(dest, "data", "docs", "report.bin")));
    }

    [Fact]
    public void Unknown_snapshot_is_a_non_terminating_SnapshotNotFound_error()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("Restore-ForgeBackup -Repository $repo -KeyFile $key -Id ffffffff -Destination $dest", ("dest", dest));

        Assert.Null(result.Terminating);
        Assert.Equal(["SnapshotNotFound,ForgeOne.Commands.RestoreForgeBackupCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.False(Directory.Exists(dest));
    }
}
