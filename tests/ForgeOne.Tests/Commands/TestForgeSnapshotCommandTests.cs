using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class TestForgeSnapshotCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Intact_snapshot_passes_with_its_data_read()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();

        var result = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadData").ShouldSucceed();

        var verification = Assert.Single(result.Output);
        Assert.Equal("SnapshotVerification", verification.TypeName());
        Assert.True(verification.Get<bool>("Passed"));
        Assert.Empty(verification.Items("Problems"));
        Assert.Equal(snapshot.Get<string>("Id"), verification.Get<string>("SnapshotId"));
        Assert.Equal(snapshot.Get<string>("DnaHash"), verification.Get<string>("DnaActual"));
        Assert.Equal(snapshot.Get<long>("LogicalBytes"), verification.Get<long>("BytesRead"));
        Assert.Contains(result.Progress, p => p.Activity == "Verifying");
    }

    [Fact]
    public void Flipped_byte_in_a_pack_is_a_failed_result_naming_the_file_not_an_error()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();
        repository.FlipByteInLargestChunk(snapshot);

        var result = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadData").ShouldSucceed();

        var verification = Assert.Single(result.Output);
        Assert.False(verification.Get<bool>("Passed"));
        var problems = verification.Items("Problems");
        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Items("Paths").Any(path => path.BaseObject as string == SampleData.LargeFile));
    }

    [Fact]
    public void Structure_check_without_ReadData_does_not_read_chunks()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();
        repository.FlipByteInLargestChunk(snapshot);

        var result = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest").ShouldSucceed();

        var verification = Assert.Single(result.Output);
        Assert.Equal(0L, verification.Get<long>("BytesRead"));
        Assert.Null(verification.Get("DataRead"));
    }

    [Fact]
    public void Get_ForgeBackup_pipes_into_Test_ForgeSnapshot_by_property_name()
    {
        var repository = new TestRepository(shell).Create();
        var ids = new[] { repository.Backup(), repository.Backup() }.Select(s => s.Get<string>("Id")).ToList();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -KeyFile $key | Test-ForgeSnapshot -KeyFile $key").ShouldSucceed();

        Assert.Equal(ids, result.Output.Select(v => v.Get<string>("SnapshotId")));
        Assert.All(result.Output, v => Assert.True(v.Get<bool>("Passed")));
    }

    [Fact]
    public void New_ForgeBackup_output_pipes_into_Test_ForgeSnapshot()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("New-ForgeBackup -Repository $repo -KeyFile $key -Path $source | Test-ForgeSnapshot -KeyFile $key -ReadData")
            .ShouldSucceed();

        Assert.True(Assert.Single(result.Output).Get<bool>("Passed"));
    }

    [Fact]
    public void Id_selects_one_snapshot_and_Latest_the_newest()
    {
        var repository = new TestRepository(shell).Create();
        var first = repository.Backup();
        var second = repository.Backup();

        var byId = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key $id", ("id", first.Get<string>("ShortId"))).ShouldSucceed();
        var latest = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest").ShouldSucceed();

        Assert.Equal(first.Get<string>("Id"), byId.Property("SnapshotId"));
        Assert.Equal(second.Get<string>("Id"), latest.Property("SnapshotId"));
    }

    [Fact]
    public void Latest_and_Id_are_separate_parameter_sets()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.RunCatching("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -Id abc");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("AmbiguousParameterSet,", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDataSubset_reads_part_of_the_data()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        repository.Backup();

        var result = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadDataSubset 1/1").ShouldSucceed();

        var verification = Assert.Single(result.Output);
        Assert.True(verification.Get<bool>("Passed"));
        Assert.Equal("1/1", verification.Get<string>("DataRead"));
    }

    [Fact]
    public void Malformed_ReadDataSubset_is_rejected_when_binding()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.RunCatching("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest -ReadDataSubset 'most of it'");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError,", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("K/M", result.Terminating.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_snapshot_is_a_non_terminating_SnapshotNotFound_error()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Test-ForgeSnapshot -Repository $repo -KeyFile $key -Latest");

        Assert.Null(result.Terminating);
        Assert.Equal(["SnapshotNotFound,ForgeOne.Commands.TestForgeSnapshotCommand"], result.ErrorIds);
    }
}
