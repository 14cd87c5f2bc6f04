using System.Diagnostics;
using System.Text;

namespace ForgeOne.Cli.Tests;

/// <summary>Runs the real <c>forge</c> executable as a child process, as a user or script would.</summary>
public static class Forge
{
    /// <summary>The variables <c>forge</c> reads; cleared in every child unless a test sets them, so the caller's shell cannot leak in.</summary>
    private static readonly string[] ForgeVariables =
        ["FORGE_REPOSITORY", "FORGE_PASSPHRASE", "FORGE_KEYFILE", "FORGE_NEW_PASSPHRASE", "FORGE_STORE", "FORGE_STORE_PASSPHRASE", "FORGE_STORE_KEYFILE"];

    /// <summary>A config file that never exists, so the user's own config (~/.config/forgeone) cannot leak into a test that sets none.</summary>
    private static readonly string NoConfig = Path.Combine(Path.GetTempPath(), "forgeone-cli-tests-no-config", "config.json");

    private static readonly string ForgeDll = Path.Combine(AppContext.BaseDirectory, "forge.dll");

    /// <summary>What one run printed and returned; <see cref="OutputBytes"/> is stdout exactly as written.</summary>
    public sealed record Result(int ExitCode, byte[] OutputBytes, string Error)
    {
        /// <summary>Standard output as UTF-8 text.</summary>
        public string Output => Encoding.UTF8.GetString(OutputBytes);

        /// <summary>Asserts the exit code, showing both streams when it differs; returns the result for more checks.</summary>
        public Result Expect(int exitCode)
        {
            Assert.True(ExitCode == exitCode, $"expected exit {exitCode}, got {this}");
            return this;
        }

        /// <summary>For assertion messages.</summary>
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    /// <summary>
    /// Runs <c>forge</c> with <paramref name="arguments"/>, optionally feeding <paramref name="stdin"/> and setting
    /// <paramref name="environment"/> variables (a null value removes one).
    /// </summary>
    public static Result Run(string[] arguments, byte[]? stdin = null, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var running = Start(arguments, environment, workingDirectory);
        if (stdin is not null)
        {
            try
            {
                running.Process.StandardInput.BaseStream.Write(stdin);
            }
            catch (IOException)
            {
                // forge exited (a usage error, say) without reading its input; the exit code tells the test.
            }
        }

        return running.WaitForExit();
    }

    /// <summary>Runs with plain string arguments.</summary>
    public static Result Run(params string[] arguments) => Run(arguments, null);

    /// <summary>Starts <c>forge</c> and returns at once, so a test can watch it work and kill it.</summary>
    public static ForgeProcess Start(string[] arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(ForgeDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in ForgeVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["FORGE_CONFIG"] = NoConfig;

        // Hundreds of test processes would otherwise share the user's startup profiles (StartupProfile); the test of
        // that feature turns it back on with a cache folder of its own.
        start.Environment["FORGE_JIT_PROFILE"] = "0";

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return new ForgeProcess(Process.Start(start)!);
    }
}
