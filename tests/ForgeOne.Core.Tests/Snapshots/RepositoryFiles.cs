using System.Diagnostics;

namespace ForgeOne.Core.Tests.Snapshots;

/// <summary>Files of the source checkout (docs/), and running its shell recipe.</summary>
internal static class RepositoryFiles
{
    /// <summary>The checkout root: the nearest folder up from the test binaries that holds ForgeOne.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string DesignDocument => File.ReadAllText(Path.Combine(Root, "docs", "design.md"));

    public static string DnaScriptPath => Path.Combine(Root, "docs", "dna.sh");

    /// <summary>Runs <c>bash docs/dna.sh folder</c> and returns what it prints, without the line feed.</summary>
    public static string RunDnaScript(string folder)
    {
        RequireTool("b3sum", "the DNA recipe hashes with it; install it with 'apt-get install b3sum' (or 'cargo install b3sum')");
        var (exitCode, output, error) = Run("bash", DnaScriptPath, folder);
        Assert.True(exitCode == 0 && error.Length == 0, $"bash docs/dna.sh failed ({exitCode}): {error}");
        return output.TrimEnd('\n');
    }

    /// <summary>Fails, never skips, when a tool the documented recipe needs is missing.</summary>
    public static void RequireTool(string name, string why)
    {
        try
        {
            Run(name, "--version");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"'{name}' is not on PATH: {why}. ({ex.Message})");
        }
    }

    public static (int ExitCode, string Output, string Error) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    /// <summary>The body of the first fenced block with the given info string after <paramref name="marker"/>.</summary>
    public static string FencedBlock(string document, string marker, string info)
    {
        var section = document.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(section >= 0, $"docs/design.md has no '{marker}'.");
        var open = "\n```" + info + "\n";
        var start = document.IndexOf(open, section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No ```{info} block follows '{marker}'.");
        start += open.Length;
        var end = document.IndexOf("\n```\n", start - 1, StringComparison.Ordinal);
        return document[start..(end + 1)];
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ForgeOne.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ForgeOne.sln not found above " + AppContext.BaseDirectory);
    }
}
