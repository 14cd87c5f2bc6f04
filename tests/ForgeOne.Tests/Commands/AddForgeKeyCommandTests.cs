using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class AddForgeKeyCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Added_key_file_slot_opens_the_repository()
    {
        var repository = new TestRepository(shell);
        repository.Run("$null = New-ForgeRepository -Path $repo -Credential $cred", ("cred", TestRepository.Credential("pw"))).ShouldSucceed();

        var result = repository.Run("Add-ForgeKey -Repository $repo -Credential $cred -NewKeyFile $key", ("cred", TestRepository.Credential("pw"))).ShouldSucceed();

        var slot = Assert.Single(result.Output);
        Assert.Equal("KeyFile", slot.Get("Kind")!.ToString());
        Assert.False(slot.Get<bool>("IsCurrent"));
        var opened = Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output, k => k.Get<bool>("IsCurrent"));
        Assert.Equal(slot.Get<string>("Id"), opened.Get<string>("Id"));
    }

    [Fact]
    public void Added_passphrase_slot_opens_the_repository()
    {
        var repository = new TestRepository(shell).Create();

        var slot = Assert.Single(repository.Run("Add-ForgeKey -Repository $repo -KeyFile $key -NewCredential $cred", ("cred", TestRepository.Credential("new pw")))
            .ShouldSucceed().Output);

        Assert.Equal("Passphrase", slot.Get("Kind")!.ToString());
        repository.Run("$null = Get-ForgeBackup -Repository $repo -Credential $cred", ("cred", TestRepository.Credential("new pw"))).ShouldSucceed();
    }

    [Fact]
    public void WhatIf_adds_no_slot()
    {
        var repository = new TestRepository(shell).Create();
        var other = Path.Combine(repository.Root, "other.key");
        File.WriteAllBytes(other, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var result = repository.Run("Add-ForgeKey -Repository $repo -KeyFile $key -NewKeyFile $other -WhatIf", ("other", other)).ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output);
    }

    [Fact]
    public void Missing_new_key_file_is_a_FileNotFound_error_and_adds_no_slot()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Add-ForgeKey -Repository $repo -KeyFile $key -NewKeyFile $missing", ("missing", Path.Combine(repository.Root, "missing.key")));

        Assert.Equal(["FileNotFound,ForgeOne.Commands.AddForgeKeyCommand"], result.ErrorIds);
        Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output);
    }
}
