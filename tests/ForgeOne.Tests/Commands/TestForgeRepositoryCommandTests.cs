using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class TestForgeRepositoryCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Intact_repository_passes_with_every_pack_read()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        repository.Backup();
        repository.Backup();

        var result = repository.Run("Test-ForgeRepository -Repository $repo -KeyFile $key -ReadData").ShouldSucceed();

        var check = Assert.Single(result.Output);
        Assert.Equal("RepositoryCheckResult", check.TypeName());
        Assert.True(check.Get<bool>("Passed"));
        Assert.Equal(2, check.Get<int>("Snapshots"));
        Assert.Equal(check.Get<int>("Packs"), check.Get<int>("PacksRead"));
        Assert.Empty(check.Items("Problems"));
    }

    [Fact]
    public void Flipped_byte_in_a_pack_is_a_failed_result_naming_the_file_not_an_error()
    {
        var repository = new TestRepository(shell).Create(withLargeFile: true);
        var snapshot = repository.Backup();
        repository.FlipByteInLargestChunk(snapshot);

        var result = repository.Run("Test-ForgeRepository -Repository $repo -KeyFile $key -ReadData").ShouldSucceed();

        var check = Assert.Single(result.Output);
        Assert.False(check.Get<bool>("Passed"));
        var problems = check.Items("Problems");
        Assert.Contains(problems, p => p.Items("Paths").Any(path => path.BaseObject as string == SampleData.LargeFile));
        Assert.Contains(problems, p => p.Items("Snapshots").Any(id => id.BaseObject as string == snapshot.Get<string>("Id")));
    }

    [Fact]
    public void Structure_check_passes_without_reading_packs()
    {
        var repository = new TestRepository(shell).Create();
        repository.Backup();

        var result = repository.Run("Test-ForgeRepository -Repository $repo -KeyFile $key").ShouldSucceed();

        var check = Assert.Single(result.Output);
        Assert.True(check.Get<bool>("Passed"));
        Assert.Equal(0, check.Get<int>("PacksRead"));
    }

    [Fact]
    public void Malformed_ReadDataSubset_is_rejected_when_binding()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.RunCatching("Test-ForgeRepository -Repository $repo -KeyFile $key -ReadDataSubset 0/3");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("ParameterArgumentValidationError,", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
    }
}
