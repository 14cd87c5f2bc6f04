using System.Diagnostics;

namespace ForgeOne.Tests.Harness;

/// <summary>The reference implementation, b3sum, run as a child process for expected values.</summary>
public static class B3sum
{
    /// <summary>b3sum's stdout for the given arguments; fails the test with the install hint when b3sum is missing.</summary>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("b3sum") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("b3sum is not installed; run `apt-get install b3sum` (the test command installs it).", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "b3sum failed: " + process.StandardError.ReadToEnd());
            return output;
        }
    }

    /// <summary>The hex hash of one file.</summary>
    public static string Hash(string path, int length = 32) => Run("--no-names", "--length", length.ToString(System.Globalization.CultureInfo.InvariantCulture), path).Trim();
}
