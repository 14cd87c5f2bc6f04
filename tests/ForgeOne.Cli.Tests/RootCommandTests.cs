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
    public void A_command_records_its_startup_profile_per_build_in_the_cache_folder_and_runs_without_one_where_it_cannot()
    {
        using var scratch = new ScratchFolder();
        var cache = scratch["cache"];

        // What an earlier build left: a profile folder of its own and a profile from before profiles were per build.
        var jit = Path.Combine(cache, "forgeone", "jit");
        Directory.CreateDirectory(Path.Combine(jit, "0123456789abcdef"));
        File.WriteAllText(Path.Combine(jit, "0123456789abcdef", "hash.jitprofile"), "stale");
        File.WriteAllText(Path.Combine(jit, "hash.jitprofile"), "stale");

        var recorded = Forge.Run(["hash", "--help"], environment: new Dictionary<string, string?> { ["FORGE_JIT_PROFILE"] = "1", ["XDG_CACHE_HOME"] = cache });

        Assert.Equal(0, recorded.ExitCode);
        var build = Assert.Single(Directory.GetFileSystemEntries(jit));
        Assert.Equal(StartupProfile.BuildId(), Path.GetFileName(build));
        Assert.True(File.Exists(Path.Combine(build, "hash.jitprofile")), "the hash command's profile was not written");

        // A cache "folder" that is a file: no profile, same result.
        File.WriteAllText(scratch["not-a-folder"], "");
        var without = Forge.Run(["hash", "--help"], environment: new Dictionary<string, string?> { ["FORGE_JIT_PROFILE"] = "1", ["XDG_CACHE_HOME"] = scratch["not-a-folder"] });
        Assert.Equal(0, without.ExitCode);
        Assert.Equal(recorded.Output, without.Output);
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
    public void Demo_runs_a_full_cycle_whose_restore_matches_the_independent_DNA_recipe()
    {
        var folder = Directory.CreateTempSubdirectory("cli-demo-").FullName;

        var forge = Forge.Run("demo", "--dir", folder);

        Assert.Equal(0, forge.ExitCode);
        foreach (var step in new[] { "backup", "change + backup", "diff", "verify --read-data", "restore" })
        {
            Assert.Contains(step, forge.Output, StringComparison.Ordinal);
        }

        Assert.Contains("DNA verified", forge.Output, StringComparison.Ordinal);
        foreach (var step in new[] { "backup create --all", "backup restore --target=logs_shard_0.redb", "all 20000 log entries readable again" })
        {
            Assert.Contains(step, forge.Output, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(folder, "store", "logs_shard_0.redb")));
        Assert.Contains("signature, every file's BLAKE3 and the audit chain verified", forge.Output, StringComparison.Ordinal);
        Assert.Contains("drill run --rpo 24h --rto 8h", forge.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
        var restored = Path.Combine(folder, "restored");
        var recipe = Path.Combine(RepositoryRoot(), "docs", "dna.sh");
        var dna = RunShell($". '{recipe}' && forge_dna '{restored}'");
        Assert.Contains($"DNA of the restore:  {dna}", forge.Output, StringComparison.Ordinal);
        Assert.Contains($"DNA of the backup:   {dna}", forge.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ForgeOne.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        return root;
    }

    private static string RunShell(string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
