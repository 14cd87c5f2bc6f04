using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class NewForgeRepositoryCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Creates_a_repository_opened_by_the_key_file_and_describes_it()
    {
        var repository = new TestRepository(shell);

        var result = repository.Run("New-ForgeRepository -Path $repo -KeyFile $key").ShouldSucceed();

        var info = Assert.Single(result.Output);
        Assert.Equal("RepositoryInfo", info.TypeName());
        Assert.Equal(repository.Location, info.Get<string>("Location"));
        Assert.Equal(repository.Location, info.Get<string>("Repository"));
        Assert.Matches("^[0-9a-f]{64}$", info.Get<string>("Id"));
        Assert.Equal(1, info.Get<int>("FormatVersion"));
        Assert.True(info.Get<int>("ChunkerMinimum") < info.Get<int>("ChunkerAverage"));
        Assert.True(info.Get<int>("ChunkerAverage") < info.Get<int>("ChunkerMaximum"));
        Assert.True(info.Get<int>("PackSize") > 0);
        Assert.True(File.Exists(Path.Combine(repository.Location, "config")));
        var key = Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output);
        Assert.Equal(info.Get<string>("KeySlotId"), key.Get<string>("Id"));
        Assert.Equal("KeyFile", key.Get("Kind")!.ToString());
    }

    [Fact]
    public void Creates_a_repository_opened_by_a_passphrase()
    {
        var repository = new TestRepository(shell);

        repository.Run("$null = New-ForgeRepository -Path $repo -Credential $cred", ("cred", TestRepository.Credential("pw"))).ShouldSucceed();

        var key = Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -Credential $cred", ("cred", TestRepository.Credential("pw"))).ShouldSucceed().Output);
        Assert.Equal("Passphrase", key.Get("Kind")!.ToString());
        Assert.True(key.Get<bool>("IsCurrent"));
    }

    [Fact]
    public void Existing_repository_is_a_RepositoryExists_error_and_is_left_unchanged()
    {
        var repository = new TestRepository(shell).Create();
        var before = SampleData.Describe(repository.Location);

        var result = repository.Run("New-ForgeRepository -Path $repo -KeyFile $key");

        Assert.Empty(result.Output);
        Assert.Equal(["RepositoryExists,ForgeOne.Commands.NewForgeRepositoryCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ResourceExists, result.Errors[0].CategoryInfo.Category);
        Assert.Equal(before, SampleData.Describe(repository.Location));
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        var repository = new TestRepository(shell);

        var result = repository.Run("New-ForgeRepository -Path $repo -KeyFile $key -WhatIf").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(repository.Location));
    }

    [Fact]
    public void Credential_and_KeyFile_are_separate_parameter_sets()
    {
        var repository = new TestRepository(shell);

        var result = repository.RunCatching("New-ForgeRepository -Path $repo -KeyFile $key -Credential $cred", ("cred", TestRepository.Credential("pw")));

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("AmbiguousParameterSet,", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repository.Location));
    }

    [Fact]
    public void Output_pipes_into_the_other_cmdlets_by_its_Repository_alias()
    {
        var repository = new TestRepository(shell);

        var result = repository.Run("New-ForgeRepository -Path $repo -KeyFile $key | Test-ForgeRepository -KeyFile $key").ShouldSucceed();

        var check = Assert.Single(result.Output);
        Assert.True(check.Get<bool>("Passed"));
        Assert.Equal(repository.Location, check.Get<string>("Repository"));
    }
}
