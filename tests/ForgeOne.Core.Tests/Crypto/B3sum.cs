using System.Diagnostics;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Runs the reference <c>b3sum</c> tool on a file; tests compare our output with it.</summary>
internal static class B3sum
{
    private static readonly Lazy<string?> Executable = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "b3sum.exe" : "b3sum"))
            .FirstOrDefault(File.Exists));

    /// <summary>
    /// The b3sum output for <paramref name="path"/>, <paramref name="length"/> bytes long: keyed when
    /// <paramref name="key"/> is given, derive_key mode when <paramref name="deriveKeyContext"/> is.
    /// </summary>
    internal static byte[] Hash(string path, int length = 32, byte[]? key = null, string? deriveKeyContext = null)
    {
        // Never skip: a missing reference tool must fail loudly so CI cannot pass without checking anything.
        string executable = Executable.Value
            ?? throw new InvalidOperationException("b3sum is not on PATH; run `apt-get install b3sum` (CI installs it).");

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = key is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--no-names");
        start.ArgumentList.Add("--length");
        start.ArgumentList.Add(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (key is not null)
        {
            // b3sum reads the 32 raw key bytes from standard input.
            start.ArgumentList.Add("--keyed");
        }

        if (deriveKeyContext is not null)
        {
            start.ArgumentList.Add("--derive-key");
            start.ArgumentList.Add(deriveKeyContext);
        }

        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)!;
        if (key is not null)
        {
            process.StandardInput.BaseStream.Write(key);
            process.StandardInput.Close();
        }

        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"b3sum exited with {process.ExitCode}: {error.Result}");
        }

        return Convert.FromHexString(output.Trim());
    }
}
