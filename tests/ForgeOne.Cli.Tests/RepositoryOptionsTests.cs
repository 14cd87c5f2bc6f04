namespace ForgeOne.Cli.Tests;

public sealed class RepositoryOptionsTests : IClassFixture<RepositoryOptionsTests.PassphraseRepository>, IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-options-");
    private readonly PassphraseRepository _wrongPassphrase;

    public RepositoryOptionsTests(PassphraseRepository wrongPassphrase) => _wrongPassphrase = wrongPassphrase;

    public void Dispose() => _scratch.Dispose();

    public static TheoryData<string[]> RepositoryCommands => new()
    {
        { new[] { "repo", "init" } },
        { new[] { "backup", "list" } },
        { new[] { "backup", "restore", "--to", "out" } },
        { new[] { "check" } },
        { new[] { "snapshot", "verify" } },
        { new[] { "key", "list" } },
    };

    [Theory]
    [MemberData(nameof(RepositoryCommands))]
    public void Missing_repo_and_FORGE_REPOSITORY_is_a_usage_error_naming_the_variable(string[] command)
    {
        var forge = Forge.Run(command, workingDirectory: _scratch.Path, environment: new Dictionary<string, string?> { ["FORGE_PASSPHRASE"] = "x" });

        forge.Expect(ExitCodes.Usage);
        Assert.Contains("FORGE_REPOSITORY", forge.Error, StringComparison.Ordinal);
        Assert.Contains("--repo", forge.Error, StringComparison.Ordinal);
        Assert.Single(forge.Error.TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(_scratch.Path));
    }

    [Fact]
    public void FORGE_REPOSITORY_names_the_repository_when_repo_is_not_given()
    {
        var repository = TestRepository.InitWithPassphrase(_scratch["repo"]);
        var environment = new Dictionary<string, string?> { ["FORGE_REPOSITORY"] = repository.Path, ["FORGE_PASSPHRASE"] = TestRepository.Passphrase };

        var list = Forge.Run(["backup", "list"], environment: environment).Expect(0);

        Assert.StartsWith("id ", list.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> OpeningCommands => new()
    {
        { new[] { "backup", "list" } },
        { new[] { "backup", "create", "." } },
        { new[] { "backup", "create", "--stdin" } },
        { new[] { "check", "--read-data" } },
        { new[] { "snapshot", "verify" } },
        { new[] { "repo", "unlock", "--remove-all" } },
        { new[] { "key", "add", "--new-key-file", "new.key" } },
    };

    [Theory]
    [MemberData(nameof(OpeningCommands))]
    public void Wrong_passphrase_exits_4_with_one_line_and_changes_nothing_in_the_repository(string[] command)
    {
        // One repository for all cases: each must leave it exactly as it found it.
        var repository = _wrongPassphrase.Repository;
        var before = TestFiles.Fingerprint(repository.Path);
        var environment = new Dictionary<string, string?> { ["FORGE_PASSPHRASE"] = "wrong horse battery staple" };

        var forge = Forge.Run([.. command, "--repo", repository.Path], [1, 2, 3], _wrongPassphrase.Data, environment);

        forge.Expect(ExitCodes.WrongCredentials);
        Assert.Single(forge.Error.TrimEnd().Split('\n'));
        Assert.Contains("FORGE_PASSPHRASE", forge.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong horse", forge.Error, StringComparison.Ordinal);
        Assert.Empty(forge.Output);
        Assert.Equal(before, TestFiles.Fingerprint(repository.Path));
    }

    [Fact]
    public void FORGE_KEYFILE_opens_a_key_file_slot_without_a_passphrase()
    {
        var repository = TestRepository.InitWithPassphrase(_scratch["repo"]);
        var keyFile = _scratch["k.key"];
        Forge.Run("key", "new", keyFile).Expect(0);
        repository.Run("key", "add", "--new-key-file", keyFile).Expect(0);
        repository.Environment.Clear();
        repository.Environment["FORGE_KEYFILE"] = keyFile;

        var list = repository.Run("key", "list").Expect(0);

        Assert.Contains("* ", list.Output, StringComparison.Ordinal);
        Assert.Equal(2, list.Output.TrimEnd().Split('\n').Length);
    }

    /// <summary>A passphrase repository with one snapshot, and a data folder holding a key file, shared by the wrong-passphrase cases.</summary>
    public sealed class PassphraseRepository : IDisposable
    {
        private readonly ScratchFolder _scratch = new("cli-options-shared-");

        public PassphraseRepository()
        {
            Repository = TestRepository.InitWithPassphrase(_scratch["repo"]);
            Data = _scratch["data"];
            TestFiles.WriteText(Path.Combine(Data, "a.log"), 10_000, 1);
            Repository.Backup(Data);
            Forge.Run("key", "new", Path.Combine(Data, "new.key")).Expect(0);
        }

        public TestRepository Repository { get; }

        public string Data { get; }

        public void Dispose() => _scratch.Dispose();
    }
}
