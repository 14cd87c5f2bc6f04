namespace ForgeOne.Cli.Tests;

public sealed class RepoCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-repo-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Init_creates_a_repository_that_the_passphrase_opens()
    {
        var repository = new TestRepository(_scratch["repo"]);

        var init = repository.Run("repo", "init").Expect(0);

        Assert.StartsWith("created repository ", init.Output, StringComparison.Ordinal);
        Assert.Empty(init.Error);
        Assert.True(File.Exists(Path.Combine(repository.Path, "config")));
        Assert.Single(Directory.GetFiles(Path.Combine(repository.Path, "keys")));
        Assert.Empty(repository.Snapshots());
    }

    [Fact]
    public void Init_json_names_the_repository_its_id_and_key_slot()
    {
        var repository = new TestRepository(_scratch["repo"]);

        var json = TestRepository.Json(repository.Run("repo", "init", "--json").Expect(0));

        Assert.Equal(repository.Path, json.GetProperty("repository").GetString());
        Assert.Matches("^[0-9a-f]{64}$", json.GetProperty("id").GetString());
        var slot = Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(repository.Path, "keys"))));
        Assert.Equal(slot, json.GetProperty("keySlot").GetString());
    }

    [Fact]
    public void Init_twice_fails_with_one_clear_line_and_leaves_the_repository_unchanged()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var before = TestFiles.Fingerprint(repository.Path);

        var again = repository.Run("repo", "init");

        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Single(again.Error.TrimEnd().Split('\n'));
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Contains(repository.Path, again.Error, StringComparison.Ordinal);
        Assert.Empty(again.Output);
        Assert.Equal(before, TestFiles.Fingerprint(repository.Path));
    }

    [Fact]
    public void Init_with_a_key_file_creates_a_repository_that_only_the_key_file_opens()
    {
        var keyFile = _scratch["repo.key"];
        Forge.Run("key", "new", keyFile).Expect(0);
        var repository = new TestRepository(_scratch["repo"]);
        repository.Environment.Clear();

        repository.Run("repo", "init", "--key-file", keyFile).Expect(0);

        repository.Run("backup", "list", "--key-file", keyFile).Expect(0);
        repository.Environment["FORGE_PASSPHRASE"] = TestRepository.Passphrase;
        repository.Run("backup", "list").Expect(ExitCodes.WrongCredentials);
    }

    [Fact]
    public void Init_without_any_credential_and_no_terminal_says_which_variables_to_set()
    {
        var repository = new TestRepository(_scratch["repo"]);
        repository.Environment.Clear();

        var init = repository.Run("repo", "init").Expect(ExitCodes.Usage);

        Assert.Contains("FORGE_PASSPHRASE", init.Error, StringComparison.Ordinal);
        Assert.Contains("FORGE_KEYFILE", init.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repository.Path));
    }

    [Fact]
    public void Unlock_with_no_stale_locks_removes_nothing()
    {
        var repository = TestRepository.Init(_scratch["repo"]);

        var unlock = repository.Run("repo", "unlock").Expect(0);

        Assert.Equal("removed 0 lock(s)", unlock.Output.Trim());
    }

    [Fact]
    public void An_unreadable_lock_blocks_with_exit_5_until_unlock_remove_all()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var data = _scratch["data"];
        TestFiles.WriteText(Path.Combine(data, "a.txt"), 1000, 1);
        Directory.CreateDirectory(Path.Combine(repository.Path, "locks"));
        File.WriteAllBytes(Path.Combine(repository.Path, "locks", new string('a', 64)), [1, 2, 3]); // not a sealed lock: held, exclusive

        var blocked = repository.Run("backup", "create", data);
        var unlock = repository.Run("repo", "unlock");

        blocked.Expect(ExitCodes.Locked);
        Assert.Contains("forge repo unlock --remove-all", blocked.Error, StringComparison.Ordinal);
        Assert.Empty(repository.Snapshots());
        Assert.Equal("removed 0 lock(s)", unlock.Expect(0).Output.Trim()); // an unreadable lock is never stale
        Assert.Equal("removed 1 lock(s)", repository.Run("repo", "unlock", "--remove-all").Expect(0).Output.Trim());
        repository.Backup(data);
    }
}
