using System.Management.Automation;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>What every repository cmdlet shares through its base: opening, credentials and their failures.</summary>
public sealed class ForgeRepositoryCmdletTests(ModuleFixture shell) : IClassFixture<ModuleFixture>
{
    private static readonly object Gate = new();
    private static TestRepository? _passphraseRepository;

    /// <summary>Each repository cmdlet with the arguments it needs to reach the open, and its class name.</summary>
    public static TheoryData<string, string> Cmdlets() => new()
    {
        { "Get-ForgeBackup", "GetForgeBackupCommand" },
        { "Restore-ForgeBackup -Latest -Destination $dest", "RestoreForgeBackupCommand" },
        { "Test-ForgeSnapshot -Latest", "TestForgeSnapshotCommand" },
        { "Test-ForgeRepository", "TestForgeRepositoryCommand" },
        { "Compare-ForgeBackup latest latest", "CompareForgeBackupCommand" },
        { "Get-ForgeKey", "GetForgeKeyCommand" },
        { "Add-ForgeKey -NewKeyFile $key", "AddForgeKeyCommand" },
        { "Remove-ForgeKey -Id 0123456789abcdef -Confirm:$false", "RemoveForgeKeyCommand" },
        { "Unlock-ForgeRepository", "UnlockForgeRepositoryCommand" },
        { "New-ForgeBackup -Path $source", "NewForgeBackupCommand" },
    };

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Wrong_passphrase_is_a_terminating_WrongCredentials_error_and_changes_nothing(string command, string className)
    {
        var repository = PassphraseRepository();
        var before = SampleData.Describe(repository.Location);
        var dest = Path.Combine(repository.Root, "restore-" + className);

        var result = repository.RunCatching($"{command} -Repository $repo -Credential $wrong",
            ("wrong", TestRepository.Credential("not the passphrase")), ("dest", dest));

        Assert.Empty(result.Output);
        Assert.NotNull(result.Terminating);
        Assert.Equal($"WrongCredentials,ForgeOne.Commands.{className}", result.Terminating.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, result.Terminating.CategoryInfo.Category);
        Assert.Equal(before, SampleData.Describe(repository.Location));
        Assert.False(Directory.Exists(dest));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Missing_repository_is_a_terminating_RepositoryNotFound_error(string command, string className)
    {
        var repository = new TestRepository(shell);
        SampleData.Write(repository.Source);

        var result = repository.RunCatching($"{command} -Repository $repo -KeyFile $key", ("dest", Path.Combine(repository.Root, "restore")));

        Assert.Empty(result.Output);
        Assert.NotNull(result.Terminating);
        Assert.Equal($"RepositoryNotFound,ForgeOne.Commands.{className}", result.Terminating.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Terminating.CategoryInfo.Category);
        Assert.Equal(repository.Location, result.Terminating.TargetObject);
        Assert.False(Directory.Exists(repository.Location));
    }

    [Fact]
    public void Passphrase_given_as_a_credential_opens_the_repository()
    {
        var repository = PassphraseRepository();

        var result = repository.Run("Get-ForgeBackup -Repository $repo -Credential $cred", ("cred", TestRepository.Credential("correct horse")))
            .ShouldSucceed();

        Assert.Single(result.Output);
    }

    [Fact]
    public void Opening_shows_progress()
    {
        var repository = new TestRepository(shell).Create();

        var result = repository.Run("Get-ForgeKey -Repository $repo -KeyFile $key").ShouldSucceed();

        Assert.Contains(result.Progress, p => p.Activity == "Opening repository");
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    // One passphrase repository with one snapshot for the whole class: wrong credentials must leave it unchanged anyway.
    private TestRepository PassphraseRepository()
    {
        lock (Gate)
        {
            if (_passphraseRepository is null)
            {
                var repository = new TestRepository(shell);
                SampleData.Write(repository.Source);
                repository.Run("""
                    $null = New-ForgeRepository -Path $repo -Credential $cred
                    $null = New-ForgeBackup -Repository $repo -Credential $cred -Path $source
                    """, ("cred", TestRepository.Credential("correct horse"))).ShouldSucceed();
                _passphraseRepository = repository;
            }

            return _passphraseRepository;
        }
    }
}
