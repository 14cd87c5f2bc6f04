using System.Diagnostics;

namespace ForgeOne.Cli.Tests;

/// <summary>A <c>forge</c> process still running; its output is collected in the background.</summary>
public sealed class ForgeProcess : IDisposable
{
    private readonly Task<byte[]> _output;
    private readonly Task<string> _error;

    internal ForgeProcess(Process process)
    {
        Process = process;
        _output = Task.Run(async () =>
        {
            using var buffer = new MemoryStream();
            await process.StandardOutput.BaseStream.CopyToAsync(buffer).ConfigureAwait(false);
            return buffer.ToArray();
        });
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The child process (the <c>dotnet</c> host running forge.dll).</summary>
    public Process Process { get; }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => Process.HasExited;

    /// <summary>Closes standard input and waits for the process to end.</summary>
    public Forge.Result WaitForExit()
    {
        try
        {
            Process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone; nothing left to tell it.
        }

        Process.WaitForExit();
        return new Forge.Result(Process.ExitCode, _output.Result, _error.Result);
    }

    /// <summary>Kills the process and everything it started, as a crash or <c>kill -9</c> would, and waits until it is gone.</summary>
    public Forge.Result Kill()
    {
        Process.Kill(entireProcessTree: true);
        return WaitForExit();
    }

    /// <summary>Kills the process if a test left it running.</summary>
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
