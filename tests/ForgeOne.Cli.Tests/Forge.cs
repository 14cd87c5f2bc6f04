using System.Diagnostics;

namespace ForgeOne.Cli.Tests;

/// <summary>Runs the real <c>forge</c> executable as a child process, as a user or script would.</summary>
public static class Forge
{
    /// <summary>What one run printed and returned.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    private static readonly string ForgeDll = Path.Combine(AppContext.BaseDirectory, "forge.dll");

    /// <summary>Runs <c>forge</c> with <paramref name="arguments"/>, optionally feeding <paramref name="stdin"/>.</summary>
    public static Result Run(string[] arguments, byte[]? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(ForgeDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs with plain string arguments.</summary>
    public static Result Run(params string[] arguments) => Run(arguments, null);
}
