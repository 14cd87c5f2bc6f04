using System.Text.Json;

namespace ForgeOne.Cli.Tests;

public sealed class KeyCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-keys-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Key_new_writes_a_private_32_byte_file()
    {
        var path = _scratch["k"];

        var forge = Forge.Run("key", "new", path);

        Assert.Equal(0, forge.ExitCode);
        Assert.Equal(32, File.ReadAllBytes(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Key_new_refuses_to_overwrite_without_force()
    {
        var path = _scratch["k"];
        File.WriteAllBytes(path, [1]);

        var refused = Forge.Run("key", "new", path);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal([1], File.ReadAllBytes(path));

        var forced = Forge.Run("key", "new", "--force", path);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(32, File.ReadAllBytes(path).Length);
    }

    [Fact]
    public void Key_add_with_a_key_file_shows_two_slots_in_key_list()
    {
        var repository = TestRepository.InitWithPassphrase(_scratch["repo"]);
        var keyFile = _scratch["second.key"];
        Forge.Run("key", "new", keyFile).Expect(0);

        var add = repository.Run("key", "add", "--new-key-file", keyFile).Expect(0);
        var slots = Slots(repository);

        Assert.Matches("^added key slot [0-9a-f]{16}\n$", add.Output);
        Assert.Equal(2, slots.Length);
        Assert.Equal(["passphrase", "keyFile"], slots.OrderBy(s => s.GetProperty("kind").GetString() == "keyFile").Select(s => s.GetProperty("kind").GetString()));
        var current = Assert.Single(slots, s => s.GetProperty("isCurrent").GetBoolean());
        Assert.Equal("passphrase", current.GetProperty("kind").GetString());
        Assert.Equal(add.Output.Trim()["added key slot ".Length..], Assert.Single(slots, s => !s.GetProperty("isCurrent").GetBoolean()).GetProperty("id").GetString());
        Assert.Equal(2, repository.Run("key", "list").Expect(0).Output.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public void After_removing_the_passphrase_slot_only_the_key_file_opens_the_repository()
    {
        var repository = TestRepository.InitWithPassphrase(_scratch["repo"]);
        var data = _scratch["data"];
        TestFiles.WriteText(Path.Combine(data, "a.txt"), 1000, 1);
        repository.Backup(data);
        var keyFile = _scratch["second.key"];
        Forge.Run("key", "new", keyFile).Expect(0);
        repository.Run("key", "add", "--new-key-file", keyFile).Expect(0);
        var passphraseSlot = Slots(repository).Single(s => s.GetProperty("kind").GetString() == "passphrase").GetProperty("id").GetString()!;

        var remove = repository.Run("key", "remove", passphraseSlot).Expect(0);

        Assert.Equal($"removed key slot {passphraseSlot}\n", remove.Output);
        repository.Run("backup", "list").Expect(ExitCodes.WrongCredentials);
        var list = repository.Run("backup", "list", "--json", "--key-file", keyFile).Expect(0);
        Assert.Single(TestRepository.Json(list).EnumerateArray());
        var slot = Assert.Single(Slots(repository, "--key-file", keyFile));
        Assert.Equal("keyFile", slot.GetProperty("kind").GetString());
        Assert.True(slot.GetProperty("isCurrent").GetBoolean());
        repository.Run("backup", "restore", "--to", _scratch["restored"], "--key-file", keyFile).Expect(0);
    }

    [Fact]
    public void Key_add_takes_a_new_passphrase_from_FORGE_NEW_PASSPHRASE()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        repository.Environment["FORGE_NEW_PASSPHRASE"] = "a second passphrase";

        repository.Run("key", "add").Expect(0);

        repository.Environment.Clear();
        repository.Environment["FORGE_PASSPHRASE"] = "a second passphrase";
        Assert.Equal(2, Slots(repository).Length);
    }

    [Fact]
    public void Removing_the_last_key_slot_is_refused()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        var only = Assert.Single(Slots(repository)).GetProperty("id").GetString()!;

        var remove = repository.Run("key", "remove", only);

        Assert.NotEqual(0, remove.ExitCode);
        Assert.Single(remove.Error.TrimEnd().Split('\n'));
        Assert.Single(Slots(repository));
    }

    [Fact]
    public void Key_add_without_a_new_credential_and_no_terminal_says_how_to_give_one()
    {
        var repository = TestRepository.Init(_scratch["repo"]);

        var add = repository.Run("key", "add").Expect(ExitCodes.Usage);

        Assert.Contains("--new-key-file", add.Error, StringComparison.Ordinal);
        Assert.Contains("FORGE_NEW_PASSPHRASE", add.Error, StringComparison.Ordinal);
        Assert.Single(Slots(repository));
    }

    private static JsonElement[] Slots(TestRepository repository, params string[] arguments) =>
        [.. TestRepository.Json(repository.Run(["key", "list", "--json", .. arguments]).Expect(0)).EnumerateArray()];
}
