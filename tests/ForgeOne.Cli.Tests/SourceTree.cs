using System.Diagnostics;

namespace ForgeOne.Cli.Tests;

/// <summary>Files of the source checkout the tests run from: the documented DNA recipe, docs/dna.sh.</summary>
public static class SourceTree
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ForgeOne.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("ForgeOne.sln not found above " + AppContext.BaseDirectory);
        }

        return root;
    });

    /// <summary>The folder holding ForgeOne.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>What <c>bash docs/dna.sh <paramref name="folder"/></c> prints, without the line feed: the DNA with standard tools only.</summary>
    public static string DnaScript(string folder)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Root, "docs", "dna.sh"));
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && error.Result.Length == 0, $"bash docs/dna.sh failed ({process.ExitCode}): {error.Result}");
        return output.Trim();
    }
}
