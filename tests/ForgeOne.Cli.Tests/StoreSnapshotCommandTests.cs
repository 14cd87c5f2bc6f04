using System.Security.Cryptography;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge snapshot create|list</c> and <c>forge snapshot verify</c> of a store snapshot set.</summary>
public sealed class StoreSnapshotCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-store-snapshot-");
    private readonly Dictionary<string, string?> _environment;

    public StoreSnapshotCommandTests()
    {
        var key = _scratch["store.key"];
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        _environment = new Dictionary<string, string?> { ["FORGE_STORE"] = _scratch["store"], ["FORGE_STORE_KEYFILE"] = key };
        Run("store", "init", "--log-shards", "2").Expect(0);
        Run("log", "write", "--topic", "app/x", "--message", "before the snapshot").Expect(0);
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void A_system_snapshot_is_listed_as_json_and_verifies()
    {
        var created = Run("snapshot", "create", "--db=system.redb").Expect(0);

        var listed = Assert.Single(StoreCommandTests.Json(Run("snapshot", "list", "--json").Expect(0)).EnumerateArray());
        var id = listed.GetProperty("id").GetString()!;
        var verify = Run("snapshot", "verify", "--snapshot", id).Expect(0);
        var verifyJson = Assert.Single(StoreCommandTests.Json(Run("snapshot", "verify", "--snapshot", id, "--json").Expect(0)).EnumerateArray());

        Assert.Matches("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$", id);
        Assert.Equal("system.redb", listed.GetProperty("database").GetString());
        Assert.Equal("ok", listed.GetProperty("integrity").GetString());
        Assert.True(File.Exists(listed.GetProperty("path").GetString()));
        Assert.Contains(id, created.Output, StringComparison.Ordinal);
        Assert.Contains($"{id}  system.redb  passed", verify.Output, StringComparison.Ordinal);
        Assert.True(verifyJson.GetProperty("passed").GetBoolean());
        Assert.Equal(listed.GetProperty("logicalDna").GetString(), verifyJson.GetProperty("actualDna").GetString());
    }

    [Fact]
    public void All_snapshots_every_database_under_one_id_and_a_prefix_through_the_T_verifies_them()
    {
        var created = StoreCommandTests.Json(Run("snapshot", "create", "--all", "--json").Expect(0)).EnumerateArray().ToList();
        var id = created[0].GetProperty("id").GetString()!;

        var verified = StoreCommandTests.Json(Run("snapshot", "verify", "--snapshot", id[..9], "--json").Expect(0)).EnumerateArray().ToList();
        var one = Assert.Single(StoreCommandTests.Json(Run("snapshot", "verify", "--snapshot", id, "--db", "logs_shard_1.redb", "--json").Expect(0)).EnumerateArray());

        Assert.Equal(["system.redb", "logs_shard_0.redb", "logs_shard_1.redb", "blobs_shard_0.redb", "blobs_shard_1.redb", "events_shard_0.redb", "events_shard_1.redb"],
            created.Select(snapshot => snapshot.GetProperty("database").GetString()));
        Assert.All(created, snapshot => Assert.Equal(id, snapshot.GetProperty("id").GetString()));
        Assert.Equal(created.Count, verified.Count);
        Assert.All(verified, result => Assert.True(result.GetProperty("passed").GetBoolean()));
        Assert.Equal("logs_shard_1.redb", one.GetProperty("database").GetString());
    }

    [Fact]
    public void A_damaged_snapshot_file_fails_verification_with_exit_3()
    {
        var listed = Assert.Single(StoreCommandTests.Json(Run("snapshot", "create", "--db", "logs_shard_0.redb", "--json").Expect(0)).EnumerateArray());
        var path = listed.GetProperty("path").GetString()!;
        var bytes = File.ReadAllBytes(path);
        // Every page after the first (the schema) overwritten, as a bad disk would.
        Array.Fill(bytes, (byte)0x5A, 4096, bytes.Length - 4096);
        File.WriteAllBytes(path, bytes);

        var verify = Run("snapshot", "verify", "--snapshot", listed.GetProperty("id").GetString()!).Expect(ExitCodes.DamageFound);

        Assert.Contains("FAILED", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_snapshots_all_its_shards_and_list_can_pick_one_database()
    {
        Run("snapshot", "create", "--db", "logs").Expect(0);
        Run("snapshot", "create", "--db", "system").Expect(0);

        var logs0 = StoreCommandTests.Json(Run("snapshot", "list", "--db", "logs_shard_0.redb", "--json").Expect(0)).EnumerateArray().ToList();
        var all = StoreCommandTests.Json(Run("snapshot", "list", "--json").Expect(0)).EnumerateArray().ToList();

        Assert.Single(logs0);
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public void Create_needs_db_or_all_and_an_unknown_database_is_a_usage_error()
    {
        Run("snapshot", "create").Expect(ExitCodes.Usage);
        Run("snapshot", "create", "--db", "system.redb", "--all").Expect(ExitCodes.Usage);
        Run("snapshot", "create", "--db", "logs_shard_7.redb").Expect(ExitCodes.Usage);
        Assert.Empty(StoreCommandTests.Json(Run("snapshot", "list", "--json").Expect(0)).EnumerateArray());
    }

    [Fact]
    public void An_unknown_store_snapshot_id_exits_1_and_says_how_to_list_them()
    {
        var result = Run("snapshot", "verify", "--snapshot", "20000101T000000Z-0000").Expect(ExitCodes.Failure);

        Assert.Contains("forge snapshot list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_snapshot_ids_are_told_from_repository_snapshot_ids()
    {
        Assert.True(Commands.StoreSnapshotCommands.IsStoreSnapshotId("20261124T142600Z-3fa1"));
        Assert.True(Commands.StoreSnapshotCommands.IsStoreSnapshotId("20261124T14"));
        Assert.True(Commands.StoreSnapshotCommands.IsStoreSnapshotId("20261124T"));
        Assert.False(Commands.StoreSnapshotCommands.IsStoreSnapshotId("20261124"));
        Assert.False(Commands.StoreSnapshotCommands.IsStoreSnapshotId("latest"));
        Assert.False(Commands.StoreSnapshotCommands.IsStoreSnapshotId("3fa1c0de"));
    }

    private Forge.Result Run(params string[] arguments) => Forge.Run(arguments, [], environment: _environment);
}
