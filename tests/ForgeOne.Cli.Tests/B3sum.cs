using System.Diagnostics;

namespace ForgeOne.Cli.Tests;

/// <summary>b3sum, the reference, as a child process.</summary>
public static class B3sum
{
    /// <summary>Raw stdout of b3sum with the given arguments, run in <paramref name="workingDirectory"/>.</summary>
    public static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("b3sum") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("b3sum is not installed; run `apt-get install b3sum` (the test command installs it).", ex);
        }
    }
}
