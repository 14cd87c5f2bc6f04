namespace ForgeOne.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact]
    public void Version_prints_the_product_version()
    {
        var forge = Forge.Run("--version");

        Assert.Equal(0, forge.ExitCode);
        Assert.StartsWith("0.1.0", forge.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var forge = Forge.Run("--help");

        Assert.Equal(0, forge.ExitCode);
        Assert.Contains("hash", forge.Output, StringComparison.Ordinal);
        Assert.Contains("key", forge.Output, StringComparison.Ordinal);
        Assert.Contains("demo", forge.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_directive_completes_commands_for_shell_completion()
    {
        var forge = Forge.Run("[suggest:2]", "ha");

        Assert.Equal(0, forge.ExitCode);
        Assert.Contains("hash", forge.Output.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var forge = Forge.Run("frobnicate");

        Assert.Equal(2, forge.ExitCode);
        Assert.Contains("frobnicate", forge.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_hashes_a_generated_sample_and_prints_a_table()
    {
        var folder = Directory.CreateTempSubdirectory("cli-demo-").FullName;

        var forge = Forge.Run("demo", "--dir", folder);

        Assert.Equal(0, forge.ExitCode);
        Assert.Contains("logs/app-2026-11-01.log", forge.Output, StringComparison.Ordinal);
        var config = Path.Combine(folder, "sample", "data", "config.json");
        Assert.Contains(B3sum.Run(folder, "--no-names", config).Trim(), forge.Output, StringComparison.Ordinal);
        Assert.Equal(32, new FileInfo(Path.Combine(folder, "demo.key")).Length);
    }
}
