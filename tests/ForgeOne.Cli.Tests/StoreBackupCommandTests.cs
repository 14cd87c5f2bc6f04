using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary>
/// <c>forge backup create --all</c> and <c>forge backup restore --target=DATABASE</c>: the store backed up into a
/// repository and one database put back, with the two meanings of <c>--target</c> kept apart.
/// </summary>
public sealed class StoreBackupCommandTests : IDisposable
{
    private const int Entries = 600;
    private readonly ScratchFolder _scratch = new("cli-store-backup-");
    private TestRepository? _repository;

    public void Dispose() => _scratch.Dispose();

    private string StorePath => _scratch["store"];

    private string RepositoryPath => _scratch["repo"];

    [Fact]
    public void The_seed_commands_back_up_the_store_and_restore_a_lost_shard_with_every_entry()
    {
        // Exactly as a user types them, with everything from the environment.
        var environment = new Dictionary<string, string?>
        {
            ["FORGE_STORE"] = StorePath,
            ["FORGE_REPOSITORY"] = RepositoryPath,
            ["FORGE_PASSPHRASE"] = TestRepository.Passphrase,
        };
        Forge.Result Seed(string command, byte[]? stdin = null) => Forge.Run(command.Split(' '), stdin ?? [], environment: environment);
        Seed("repo init").Expect(0);
        Seed("store init").Expect(0);
        Seed("log write --topic app/orders", Lines(Entries)).Expect(0);
        var before = Messages(Seed("log query --json").Expect(0));

        var backup = Seed("backup create --all").Expect(0);
        File.Delete(Path.Combine(StorePath, "logs_shard_0.redb"));
        var restore = Seed("backup restore --target=logs_shard_0.redb").Expect(0);
        var after = Messages(Seed("log query --json").Expect(0));

        Assert.Contains("saved: store ", backup.Output, StringComparison.Ordinal);
        Assert.Contains("restored logs_shard_0.redb", restore.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(StorePath, "logs_shard_0.redb")));
        Assert.Equal(Entries, before.Count);
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_store_backup_is_listed_as_a_store_with_its_manifest()
    {
        var environment = StoreAndRepository();
        Run(environment, "log", "write", "--topic", "app/x", "--message", "one").Expect(0);

        var created = StoreCommandTests.Json(Run(environment, "backup", "create", "--all", "--tag", "nightly", "--json").Expect(0));
        var list = Run(environment, "backup", "list").Expect(0);
        var listed = Assert.Single(StoreCommandTests.Json(Run(environment, "backup", "list", "--json").Expect(0)).EnumerateArray());

        Assert.Equal(created.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.Equal(["forge-store", "nightly"], listed.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        var databases = listed.GetProperty("store").GetProperty("databases").EnumerateArray().Select(entry => entry.GetProperty("database").GetString()).ToList();
        Assert.Contains("system.redb", databases);
        Assert.Contains("logs_shard_0.redb", databases);
        Assert.DoesNotContain("subjects.redb", databases);
        Assert.Contains($"store {StorePath} [forge-store,nightly]", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_from_a_damaged_repository_exits_3_and_leaves_the_live_file_untouched()
    {
        var environment = StoreAndRepository();
        Run(environment, ["log", "write", "--topic", "app/x"], Lines(Entries)).Expect(0);
        var snapshot = StoreCommandTests.Json(Run(environment, "backup", "create", "--all", "--json").Expect(0)).GetProperty("id").GetString()!;
        var live = Path.Combine(StorePath, "logs_shard_0.redb");
        var original = File.ReadAllBytes(live);
        await _repository!.FlipByteInChunkOfAsync(snapshot, "store/logs_shard_0.redb");

        var restore = Run(environment, "backup", "restore", "--target=logs_shard_0.redb").Expect(ExitCodes.DamageFound);

        Assert.Single(restore.Error.TrimEnd().Split('\n'));
        Assert.Equal(original, File.ReadAllBytes(live));
        Assert.Empty(Directory.GetFiles(StorePath, "logs_shard_0.redb.*.previous"));
        Assert.Empty(Directory.GetDirectories(StorePath, ".restore-*"));
        Assert.Equal(Entries, Messages(Run(environment, "log", "query", "--json").Expect(0)).Count);
    }

    [Fact]
    public void A_kind_restores_each_of_its_shards_from_the_backup_named_and_keeps_the_replaced_files()
    {
        var environment = StoreAndRepository();
        Run(environment, ["log", "write", "--topic", "app/x"], Lines(100)).Expect(0);
        var earlier = StoreCommandTests.Json(Run(environment, "backup", "create", "--all", "--json").Expect(0)).GetProperty("id").GetString()!;
        Run(environment, ["log", "write", "--topic", "app/y"], Lines(50)).Expect(0);
        Run(environment, "backup", "create", "--all").Expect(0);

        var result = StoreCommandTests.Json(Run(environment, "backup", "restore", "--target", "logs", "--snapshot", earlier[..8], "--json").Expect(0));

        var restored = result.GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(earlier, result.GetProperty("snapshotId").GetString());
        Assert.Equal(["logs_shard_0.redb", "logs_shard_1.redb"], restored.Select(entry => entry.GetProperty("database").GetString()));
        Assert.All(restored, entry => Assert.True(File.Exists(entry.GetProperty("previousVersion").GetString())));
        Assert.Equal(100, Messages(Run(environment, "log", "query", "--json").Expect(0)).Count);
    }

    [Fact]
    public void Target_as_a_folder_still_restores_the_files_of_an_ordinary_snapshot()
    {
        var environment = StoreAndRepository();
        var source = _scratch["src"];
        TestFiles.WriteRandom(Path.Combine(source, "a.bin"), 100_000, 1);
        TestFiles.WriteText(Path.Combine(source, "logs", "app.log"), 20_000, 2);
        var files = StoreCommandTests.Json(Run(environment, "backup", "create", source, "--json").Expect(0)).GetProperty("id").GetString()!;

        // A path is always a folder, even with a store configured.
        Run(environment, "backup", "restore", "--snapshot", files, $"--target={_scratch["restored"]}").Expect(0);

        // A bare name that is no database is a folder too, here relative to the working directory.
        environment.Remove("FORGE_STORE");
        var working = _scratch["cwd"];
        Directory.CreateDirectory(working);
        Forge.Run(["backup", "restore", "--snapshot", files, "--target", "logs"], [], working, environment).Expect(0);

        TestFiles.AssertSameTree(source, Path.Combine(_scratch["restored"], "src"));
        TestFiles.AssertSameTree(source, Path.Combine(working, "logs", "src"));
    }

    [Fact]
    public void A_database_name_without_a_store_configured_is_a_folder()
    {
        var environment = StoreAndRepository();
        var source = _scratch["src"];
        TestFiles.WriteRandom(Path.Combine(source, "a.bin"), 10_000, 1);
        Run(environment, "backup", "create", source).Expect(0);
        environment.Remove("FORGE_STORE");
        var working = _scratch["cwd"];
        Directory.CreateDirectory(working);

        Forge.Run(["backup", "restore", "--target=logs_shard_0.redb"], [], working, environment).Expect(0);

        TestFiles.AssertSameTree(source, Path.Combine(working, "logs_shard_0.redb", "src"));
    }

    [Fact]
    public void A_store_restore_refuses_the_options_of_a_folder_restore()
    {
        var environment = StoreAndRepository();
        Run(environment, "backup", "create", "--all").Expect(0);

        var result = Run(environment, "backup", "restore", "--target=logs", "--include", "*.redb").Expect(ExitCodes.Usage);

        Assert.Contains("--include", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_needs_to_or_target_but_not_both()
    {
        var environment = StoreAndRepository();

        Run(environment, "backup", "restore").Expect(ExitCodes.Usage);
        Run(environment, "backup", "restore", "--to", _scratch["a"], "--target", _scratch["b"]).Expect(ExitCodes.Usage);
    }

    [Fact]
    public void A_store_restore_without_a_store_backup_exits_1_and_says_how_to_make_one()
    {
        var environment = StoreAndRepository();

        var result = Run(environment, "backup", "restore", "--target=system.redb").Expect(ExitCodes.Failure);

        Assert.Contains("backup create --all", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_all_refuses_paths_and_file_filters()
    {
        var environment = StoreAndRepository();

        Run(environment, "backup", "create", "--all", _scratch["src"]).Expect(ExitCodes.Usage);
        Run(environment, "backup", "create", "--all", "--exclude", "*.tmp").Expect(ExitCodes.Usage);
        Assert.Empty(StoreCommandTests.Json(Run(environment, "backup", "list", "--json").Expect(0)).EnumerateArray());
    }

    [Fact]
    public void The_target_rule_tells_store_databases_from_folders()
    {
        Assert.True(Commands.BackupCommand.IsStoreTarget("logs_shard_0.redb"));
        Assert.True(Commands.BackupCommand.IsStoreTarget("system.redb"));
        Assert.True(Commands.BackupCommand.IsStoreTarget("events_shard_1"));
        Assert.True(Commands.BackupCommand.IsStoreTarget("logs"));
        Assert.True(Commands.BackupCommand.IsStoreTarget("All"));
        Assert.False(Commands.BackupCommand.IsStoreTarget("./logs"));
        Assert.False(Commands.BackupCommand.IsStoreTarget("/tmp/logs_shard_0.redb"));
        Assert.False(Commands.BackupCommand.IsStoreTarget("restored"));
        Assert.False(Commands.BackupCommand.IsStoreTarget("1"));
    }

    /// <summary>A repository and a store, each opened by its own key file (fast), and the variables naming them.</summary>
    private Dictionary<string, string?> StoreAndRepository()
    {
        var repository = _repository = TestRepository.Init(RepositoryPath);
        var storeKey = _scratch["store.key"];
        File.WriteAllBytes(storeKey, RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string?>
        {
            ["FORGE_REPOSITORY"] = RepositoryPath,
            ["FORGE_KEYFILE"] = repository.KeyFile,
            ["FORGE_STORE"] = StorePath,
            ["FORGE_STORE_KEYFILE"] = storeKey,
        };
        Run(environment, "store", "init", "--log-shards", "2").Expect(0);
        return environment;
    }

    private static Forge.Result Run(Dictionary<string, string?> environment, params string[] arguments) => Forge.Run(arguments, [], environment: environment);

    private static Forge.Result Run(Dictionary<string, string?> environment, string[] arguments, byte[] stdin) => Forge.Run(arguments, stdin, environment: environment);

    private static byte[] Lines(int count) => Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, count).Select(i => $"order {i:D5} placed")) + "\n");

    private static List<string> Messages(Forge.Result query) =>
        [.. StoreCommandTests.Json(query).GetProperty("items").EnumerateArray().Select(item => item.GetProperty("message").GetString()!).Order(StringComparer.Ordinal)];
}
