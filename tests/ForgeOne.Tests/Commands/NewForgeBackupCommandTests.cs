using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class NewForgeBackupCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Backup_returns_the_snapshot_with_its_Repository_and_DNA_of_the_source()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source -Tag nightly").ShouldSucceed();

        var snapshot = Assert.Single(result.Output);
        Assert.Equal("Snapshot", snapshot.TypeName());
        Assert.Matches("^[0-9a-f]{64}$", snapshot.Get<string>("Id"));
        Assert.Equal(repository.Location, snapshot.Get<string>("Repository"));
        Assert.Equal([repository.Source], snapshot.Get<IReadOnlyList<string>>("Paths"));
        Assert.Equal(["nightly"], snapshot.Get<IReadOnlyList<string>>("Tags"));
        Assert.Equal(4L, snapshot.Get<long>("Files"));

        // The DNA of a folder holding the source as "data" is what a full restore must reproduce.
        var copy = Path.Combine(repository.Root, "copy");
        CopyTree(repository.Source, Path.Combine(copy, "data"));
        Assert.Equal(DnaScript.Run(copy), snapshot.Get<string>("DnaHash"));
    }

    [Fact]
    public void Backup_shows_progress()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source").ShouldSucceed();

        Assert.Contains(result.Progress, p => p.Activity == "Backing up" && p.RecordType == ProgressRecordType.Processing);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void Files_the_backup_could_not_read_fully_surface_as_PowerShell_warnings()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Needs a file whose size stat reports differs from what reading gives: /proc files report 0.
        }

        var repository = new TestRepository(shell).Create();

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path /proc/version").ShouldSucceed();

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("version", warning.Message, StringComparison.Ordinal);
        Assert.Equal(warning.Message, Assert.Single(Assert.Single(result.Output).Get<IReadOnlyList<string>>("Warnings")));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var repository = new TestRepository(shell).Create();
        var before = SampleData.Describe(repository.Location);

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source -WhatIf").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Equal(before, SampleData.Describe(repository.Location));
    }

    [Fact]
    public void Bytes_from_the_pipeline_are_backed_up_as_one_file()
    {
        var repository = new TestRepository(shell).Create();
        var dest = Path.Combine(repository.Root, "restore");

        var result = repository.Run("""
            ,[byte[]](1..200) | New-ForgeBackup -Repository $repo -KeyFile $key -StdinFileName db.dump |
                Restore-ForgeBackup -KeyFile $key -Destination $dest
            """, ("dest", dest)).ShouldSucceed();

        Assert.True(Assert.Single(result.Output).Get<bool>("Verified"));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (byte)i), File.ReadAllBytes(Path.Combine(dest, "db.dump")));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
