using System.Security.Cryptography;
using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge store init|info</c> and how they find the store.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-store-");

    public StoreCommandTests()
    {
        KeyFile = _scratch["store.key"];
        File.WriteAllBytes(KeyFile, RandomNumberGenerator.GetBytes(32));
    }

    private string KeyFile { get; }

    private string StorePath => _scratch["store"];

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Init_creates_the_shards_asked_for_and_json_describes_the_store()
    {
        var json = Json(Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "3", "--region", "eu-west-1", "--json").Expect(0));

        Assert.Equal(StorePath, json.GetProperty("path").GetString());
        Assert.Equal("eu-west-1", json.GetProperty("region").GetString());
        Assert.Equal(3, json.GetProperty("logShards").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("id").GetString());
        var names = json.GetProperty("databases").EnumerateArray().Select(database => database.GetProperty("name").GetString()).ToList();
        Assert.Equal(["system.redb", "logs_shard_0.redb", "logs_shard_1.redb", "logs_shard_2.redb", "blobs_shard_0.redb", "blobs_shard_1.redb", "events_shard_0.redb", "events_shard_1.redb"], names);
        Assert.All(names, name => Assert.True(File.Exists(Path.Combine(StorePath, name!))));
    }

    [Fact]
    public void Init_in_a_folder_that_is_not_empty_fails_with_one_line_and_exit_1()
    {
        Directory.CreateDirectory(StorePath);
        File.WriteAllText(Path.Combine(StorePath, "keep.txt"), "mine");

        var result = Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile).Expect(ExitCodes.Failure);

        Assert.StartsWith("forge: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("not empty", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(StorePath).Select(Path.GetFileName));
    }

    [Fact]
    public void Init_refuses_a_bad_region_as_a_usage_error_naming_the_field()
    {
        var result = Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--region", "EU West").Expect(ExitCodes.Usage);

        Assert.Contains("Region:", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public void Init_refuses_more_than_16_shards_before_touching_anything()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "17").Expect(ExitCodes.Usage);

        Assert.False(Directory.Exists(StorePath));
    }

    [Fact]
    public void Info_prints_a_line_per_database_file()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "2").Expect(0);

        var result = Forge.Run("store", "info", "--store", StorePath, "--key-file", KeyFile).Expect(0);

        Assert.Contains($"store    {StorePath}", result.Output, StringComparison.Ordinal);
        Assert.Contains("logs_shard_1.redb", result.Output, StringComparison.Ordinal);
        Assert.Contains("estimated", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_finds_the_store_and_key_file_from_FORGE_STORE_and_FORGE_STORE_KEYFILE()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "1").Expect(0);

        var json = Json(Forge.Run(["store", "info", "--json"], environment: new Dictionary<string, string?>
        {
            ["FORGE_STORE"] = StorePath,
            ["FORGE_STORE_KEYFILE"] = KeyFile,
        }).Expect(0));

        Assert.Equal(StorePath, json.GetProperty("path").GetString());
    }

    [Fact]
    public void Info_finds_the_store_and_key_file_from_the_config_file()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "1").Expect(0);
        var environment = new Dictionary<string, string?> { ["FORGE_CONFIG"] = _scratch["config/config.json"] };
        Forge.Run(["config", "set", "store", StorePath], environment: environment).Expect(0);
        Forge.Run(["config", "set", "store-key-file", KeyFile], environment: environment).Expect(0);

        var json = Json(Forge.Run(["store", "info", "--json"], environment: environment).Expect(0));

        Assert.Equal(StorePath, json.GetProperty("path").GetString());
    }

    [Fact]
    public void The_flag_wins_over_FORGE_STORE_which_wins_over_the_config_file()
    {
        var other = _scratch["other"];
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "1").Expect(0);
        Forge.Run("store", "init", "--path", other, "--key-file", KeyFile, "--log-shards", "2").Expect(0);
        var environment = new Dictionary<string, string?> { ["FORGE_CONFIG"] = _scratch["config.json"], ["FORGE_STORE_KEYFILE"] = KeyFile };
        Forge.Run(["config", "set", "store", _scratch["missing"]], environment: environment).Expect(0);

        environment["FORGE_STORE"] = other;
        var fromVariable = Json(Forge.Run(["store", "info", "--json"], environment: environment).Expect(0));
        var fromFlag = Json(Forge.Run(["store", "info", "--json", "--store", StorePath], environment: environment).Expect(0));
        environment.Remove("FORGE_STORE");
        var fromConfig = Forge.Run(["store", "info"], environment: environment).Expect(ExitCodes.Failure);

        Assert.Equal(other, fromVariable.GetProperty("path").GetString());
        Assert.Equal(StorePath, fromFlag.GetProperty("path").GetString());
        Assert.Contains("no ForgeOne store", fromConfig.Error, StringComparison.Ordinal);
        Assert.Contains(_scratch["missing"], fromConfig.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_credentials_fall_back_to_the_repository_key_file()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "1").Expect(0);

        Forge.Run(["store", "info", "--store", StorePath], environment: new Dictionary<string, string?> { ["FORGE_KEYFILE"] = KeyFile }).Expect(0);
    }

    [Fact]
    public void Without_any_store_the_error_says_how_to_name_one()
    {
        var result = Forge.Run("store", "info").Expect(ExitCodes.Usage);

        Assert.Contains("FORGE_STORE", result.Error, StringComparison.Ordinal);
        Assert.Contains("forge config set store", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wrong_key_file_exits_4()
    {
        Forge.Run("store", "init", "--path", StorePath, "--key-file", KeyFile, "--log-shards", "1").Expect(0);
        var other = _scratch["other.key"];
        File.WriteAllBytes(other, RandomNumberGenerator.GetBytes(32));

        Forge.Run("store", "info", "--store", StorePath, "--key-file", other).Expect(ExitCodes.WrongCredentials);
    }

    internal static JsonElement Json(Forge.Result result) => JsonDocument.Parse(result.Output).RootElement.Clone();
}
