using ForgeOne.Core.Configuration;
using ForgeOne.Core.Tests.Storage;

namespace ForgeOne.Core.Tests.Configuration;

public sealed class ForgeConfigTests : IDisposable
{
    private readonly TestFolder _folder = new();

    private string ConfigPath => Path.Join(_folder.Path, "forgeone", "config.json");

    [Fact]
    public void Values_survive_a_save_and_load_as_full_paths()
    {
        var config = ForgeConfig.Load(ConfigPath);
        config.Set(ForgeConfig.StoreKey, Path.Join(_folder.Path, "store"));
        config.Set(ForgeConfig.RepositoryKey, Path.Join(_folder.Path, "repo"));
        config.Save();

        var loaded = ForgeConfig.Load(ConfigPath);

        Assert.Equal(Path.Join(_folder.Path, "store"), loaded.Get(ForgeConfig.StoreKey));
        Assert.Equal(Path.Join(_folder.Path, "repo"), loaded.Get(ForgeConfig.RepositoryKey));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(ConfigPath)!, "*.tmp"));
    }

    [Fact]
    public void A_missing_file_is_an_empty_config()
    {
        var config = ForgeConfig.Load(ConfigPath);

        Assert.Empty(config.Values);
        Assert.Null(config.Get(ForgeConfig.StoreKey));
    }

    [Theory]
    [InlineData("passphrase")]
    [InlineData("store-password")]
    public void Secrets_are_refused_when_set_and_when_read(string key)
    {
        var error = Assert.Throws<ForgeConfigException>(() => ForgeConfig.Load(ConfigPath).Set(key, "hunter2"));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, $$"""{"{{key}}": "hunter2"}""");
        Assert.Throws<ForgeConfigException>(() => ForgeConfig.Load(ConfigPath));
    }

    [Fact]
    public void Unknown_keys_are_refused_naming_the_known_ones()
    {
        var error = Assert.Throws<ForgeConfigException>(() => ForgeConfig.Load(ConfigPath).Set("colour", "blue"));

        Assert.Contains(ForgeConfig.StoreKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_json_object_is_refused_with_the_fix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, "store = /var/lib/forge");

        var error = Assert.Throws<ForgeConfigException>(() => ForgeConfig.Load(ConfigPath));

        Assert.Contains(ForgeConfig.PathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_location_follows_the_platform_convention()
    {
        var path = ForgeConfig.DefaultPath();

        Assert.EndsWith("config.json", path, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains(Path.Join("forgeone", "config.json"), path, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _folder.Dispose();
}
