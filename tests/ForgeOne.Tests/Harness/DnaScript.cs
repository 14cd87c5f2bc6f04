using System.Diagnostics;

namespace ForgeOne.Tests.Harness;

/// <summary>Runs the documented DNA recipe, <c>bash docs/dna.sh folder</c>, as a user without ForgeOne would.</summary>
public static class DnaScript
{
    /// <summary>What <c>forge_dna folder</c> prints, without the line feed.</summary>
    public static string Run(string folder)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ModuleLayout.RepositoryRoot, "docs", "dna.sh"));
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && error.Result.Length == 0, $"bash docs/dna.sh failed ({process.ExitCode}): {error.Result}");
        return output.TrimEnd('\n');
    }
}
