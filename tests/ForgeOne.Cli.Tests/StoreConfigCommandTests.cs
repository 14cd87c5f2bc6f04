using System.Text.Json;

namespace ForgeOne.Cli.Tests;

/// <summary><c>forge config ...</c> with FORGE_CONFIG pointing into a scratch folder.</summary>
public sealed class StoreConfigCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-config-");
    private readonly Dictionary<string, string?> _environment;

    public StoreConfigCommandTests()
    {
        _environment = new Dictionary<string, string?> { ["FORGE_CONFIG"] = ConfigPath };
    }

    private string ConfigPath => _scratch["nested/forge.json"];

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Set_then_get_returns_the_full_path_and_the_file_is_json()
    {
        Run("config", "set", "store", _scratch["s"]).Expect(0);

        var get = Run("config", "get", "store").Expect(0);

        Assert.Equal(_scratch["s"], get.Output.Trim());
        using var file = JsonDocument.Parse(File.ReadAllText(ConfigPath));
        Assert.Equal(_scratch["s"], file.RootElement.GetProperty("store").GetString());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(ConfigPath)!, "*.tmp"));
    }

    [Fact]
    public void Relative_paths_are_stored_as_full_paths()
    {
        Forge.Run(["config", "set", "repository", "repo"], workingDirectory: _scratch.Path, environment: _environment).Expect(0);

        Assert.Equal(_scratch["repo"], Run("config", "get", "repository").Expect(0).Output.Trim());
    }

    [Fact]
    public void List_shows_every_key_set_and_unset_removes_one()
    {
        Run("config", "set", "store", _scratch["s"]).Expect(0);
        Run("config", "set", "key-file", _scratch["k"]).Expect(0);

        var list = Run("config", "list").Expect(0);
        Run("config", "unset", "store").Expect(0);
        var json = JsonDocument.Parse(Run("config", "list", "--json").Expect(0).Output).RootElement;

        Assert.Equal([$"key-file={_scratch["k"]}", $"store={_scratch["s"]}"], list.Output.TrimEnd().Split('\n'));
        Assert.Equal(_scratch["k"], json.GetProperty("key-file").GetString());
        Assert.False(json.TryGetProperty("store", out _));
    }

    [Fact]
    public void Get_of_a_key_that_is_not_set_exits_1()
    {
        var result = Run("config", "get", "store").Expect(ExitCodes.Failure);

        Assert.Contains("not set", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_passphrase_key_is_refused_with_a_message_saying_what_to_use_instead()
    {
        var result = Run("config", "set", "passphrase", "hunter2").Expect(ExitCodes.Usage);

        Assert.Contains("never keeps a passphrase", result.Error, StringComparison.Ordinal);
        Assert.Contains("FORGE_PASSPHRASE", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public void A_config_file_holding_a_passphrase_is_refused_when_read()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, """{ "store": "/x", "store-passphrase": "hunter2" }""");

        var result = Run("config", "list").Expect(ExitCodes.Usage);

        Assert.Contains("store-passphrase", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_listing_the_valid_ones()
    {
        var result = Run("config", "set", "stor", "/x").Expect(ExitCodes.Usage);

        Assert.Contains("key-file, repository, store, store-key-file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_a_usage_error_naming_the_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, "{ not json");

        var result = Run("config", "get", "store").Expect(ExitCodes.Usage);

        Assert.Contains(ConfigPath, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Path_prints_FORGE_CONFIG()
    {
        Assert.Equal(ConfigPath, Run("config", "path").Expect(0).Output.Trim());
    }

    [Fact]
    public void Without_FORGE_CONFIG_the_path_follows_XDG_CONFIG_HOME_on_Linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var result = Forge.Run(["config", "path"], environment: new Dictionary<string, string?> { ["FORGE_CONFIG"] = null, ["XDG_CONFIG_HOME"] = _scratch["xdg"] }).Expect(0);

        Assert.Equal(Path.Combine(_scratch["xdg"], "forgeone", "config.json"), result.Output.Trim());
    }

    [Fact]
    public void The_repository_comes_from_the_config_file_when_no_flag_or_variable_names_it()
    {
        var repository = TestRepository.Init(_scratch["repo"]);
        Run("config", "set", "repository", repository.Path).Expect(0);
        Run("config", "set", "key-file", repository.KeyFile!).Expect(0);

        Run("backup", "list").Expect(0);
    }

    private Forge.Result Run(params string[] arguments) => Forge.Run(arguments, environment: _environment);
}
