using System.Diagnostics;
using System.Globalization;

namespace ForgeOne.Tests.Shared;

/// <summary>
/// The reference BLAKE3 tool, b3sum, run as a child process; every test project compares our output with it.
/// Linked into each test project from tests/Shared.
/// </summary>
internal static class B3sum
{
    private static readonly Lazy<string?> Executable = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "b3sum.exe" : "b3sum"))
            .FirstOrDefault(File.Exists));

    /// <summary>b3sum's raw standard output for <paramref name="arguments"/>, run in <paramref name="workingDirectory"/>.</summary>
    internal static string Run(string? workingDirectory, IEnumerable<string> arguments, byte[]? standardInput = null)
    {
        // Never skip: a missing reference tool must fail loudly so CI cannot pass without checking anything.
        var executable = Executable.Value
            ?? throw new InvalidOperationException("b3sum is not on PATH; run `apt-get install b3sum` (CI installs it).");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            process.StandardInput.BaseStream.Write(standardInput);
            process.StandardInput.Close();
        }

        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"b3sum exited with {process.ExitCode}: {error.Result}");
        }

        return output;
    }

    /// <summary>b3sum's raw output in <paramref name="workingDirectory"/>, e.g. <c>Run(folder, "a.bin", "b.bin")</c>.</summary>
    internal static string Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, (IEnumerable<string>)arguments);

    /// <summary>
    /// The hash of <paramref name="path"/> as lowercase hex, <paramref name="length"/> bytes long: keyed when
    /// <paramref name="key"/> is given (b3sum reads it from standard input), derive_key mode when
    /// <paramref name="deriveKeyContext"/> is.
    /// </summary>
    internal static string HashHex(string path, int length = 32, byte[]? key = null, string? deriveKeyContext = null)
    {
        List<string> arguments = ["--no-names", "--length", length.ToString(CultureInfo.InvariantCulture)];
        if (key is not null)
        {
            arguments.Add("--keyed");
        }

        if (deriveKeyContext is not null)
        {
            arguments.AddRange(["--derive-key", deriveKeyContext]);
        }

        arguments.Add(path);
        return Run(null, arguments, key).Trim();
    }

    /// <summary>As <see cref="HashHex"/>, as bytes.</summary>
    internal static byte[] Hash(string path, int length = 32, byte[]? key = null, string? deriveKeyContext = null) =>
        Convert.FromHexString(HashHex(path, length, key, deriveKeyContext));
}
