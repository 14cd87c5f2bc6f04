using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

public sealed class RemoveForgeKeyCommandTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    [Fact]
    public void Removed_passphrase_slot_no_longer_opens_and_the_key_file_still_does()
    {
        var repository = PassphraseRepositoryWithKeyFileSlot(out var cred);

        var result = repository.Run("""
            Get-ForgeKey -Repository $repo -KeyFile $key | Where-Object Kind -eq Passphrase | Remove-ForgeKey -KeyFile $key -Confirm:$false -PassThru
            """).ShouldSucceed();

        Assert.Equal("Passphrase", Assert.Single(result.Output).Get("Kind")!.ToString());
        Assert.Equal("KeyFile", Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output).Get("Kind")!.ToString());
        var denied = repository.RunCatching("Get-ForgeKey -Repository $repo -Credential $cred", ("cred", cred));
        Assert.Equal("WrongCredentials,ForgeOne.Commands.GetForgeKeyCommand", denied.Terminating?.FullyQualifiedErrorId);
    }

    [Fact]
    public void Removing_the_slot_that_opened_the_session_warns()
    {
        var repository = PassphraseRepositoryWithKeyFileSlot(out var cred);
        var passphraseSlot = repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output
            .Single(k => k.Get("Kind")!.ToString() == "Passphrase").Get<string>("Id");

        var result = repository.Run("Remove-ForgeKey -Repository $repo -Credential $cred -Id $id -Confirm:$false", ("cred", cred), ("id", passphraseSlot))
            .ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Contains(passphraseSlot, Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_slot_is_kept_with_a_LastKeySlot_error()
    {
        var repository = new TestRepository(shell).Create();
        var id = Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output).Get<string>("Id");

        var result = repository.Run("Remove-ForgeKey -Repository $repo -KeyFile $key -Id $id -Confirm:$false", ("id", id));

        Assert.Equal(["LastKeySlot,ForgeOne.Commands.RemoveForgeKeyCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidOperation, result.Errors[0].CategoryInfo.Category);
        Assert.Single(repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output);
    }

    [Fact]
    public void Unknown_slot_is_a_non_terminating_KeySlotNotFound_error()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Remove-ForgeKey -Repository $repo -KeyFile $key -Id 0123456789abcdef -Confirm:$false");

        Assert.Null(result.Terminating);
        Assert.Equal(["KeySlotNotFound,ForgeOne.Commands.RemoveForgeKeyCommand"], result.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void WhatIf_removes_nothing()
    {
        var repository = PassphraseRepositoryWithKeyFileSlot(out _);

        var result = repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key | Remove-ForgeKey -KeyFile $key -WhatIf").ShouldSucceed();

        Assert.Empty(result.Output);
        Assert.Equal(2, repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output.Count);
    }

    [Fact]
    public void Without_Confirm_false_the_high_impact_removal_is_not_done_unattended()
    {
        var repository = PassphraseRepositoryWithKeyFileSlot(out _);

        // ConfirmImpact High meets the default $ConfirmPreference; with no host UI to answer, nothing is removed.
        repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key | Where-Object Kind -eq Passphrase | Remove-ForgeKey -KeyFile $key");

        Assert.Equal(2, repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed().Output.Count);
    }

    private TestRepository PassphraseRepositoryWithKeyFileSlot(out PSCredential cred)
    {
        var repository = new TestRepository(shell);
        cred = TestRepository.Credential("pw");
        repository.Run("""
            $null = New-ForgeRepository -Path $repo -Credential $cred
            $null = Add-ForgeKey -Repository $repo -Credential $cred -NewKeyFile $key
            """, ("cred", cred)).ShouldSucceed();
        return repository;
    }
}
