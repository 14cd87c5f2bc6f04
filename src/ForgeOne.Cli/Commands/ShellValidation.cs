using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ForgeOne.Cli.Commands;

/// <summary>
/// A drill's <c>--validate-cmd</c>: a shell command (<c>sh -c</c> on Unix, <c>cmd /c</c> on Windows) run in the restored
/// folder with its path in <c>FORGE_DRILL_PATH</c>; exit status 0 passes, and the tail of its output is the detail.
/// </summary>
internal static class ShellValidation
{
    /// <summary>The variable holding the restored folder's full path.</summary>
    internal const string PathVariable = "FORGE_DRILL_PATH";

    private const int TailCharacters = 2000;

    /// <summary>The validation callback for <see cref="Core.Drills.DrDrillOptions.Validation"/>.</summary>
    internal static Func<string, CancellationToken, Task<(bool Passed, string Detail)>> For(string command) =>
        (restored, cancellationToken) => RunAsync(command, restored, cancellationToken);

    private static async Task<(bool Passed, string Detail)> RunAsync(string command, string restored, CancellationToken cancellationToken)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/s", "/c", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        start.WorkingDirectory = restored;
        start.Environment[PathVariable] = restored;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"The validation command '{command}' could not be started.");
        process.StandardInput.Close();

        // Both streams into one bounded tail, so a chatty command cannot fill memory and the detail ends with its last words.
        var tail = new Tail(TailCharacters);
        var output = PumpAsync(process.StandardOutput, tail);
        var error = PumpAsync(process.StandardError, tail);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(output, error).ConfigureAwait(false);
        var said = tail.ToString().Trim();
        var detail = string.Create(CultureInfo.InvariantCulture, $"'{command}' exited with {process.ExitCode}") + (said.Length > 0 ? ": " + said.ReplaceLineEndings(" | ") : "");
        return (process.ExitCode == 0, detail);
    }

    private static async Task PumpAsync(StreamReader reader, Tail tail)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer.AsSpan(0, read));
        }
    }

    private sealed class Tail(int capacity)
    {
        private readonly StringBuilder _text = new();

        public void Append(ReadOnlySpan<char> chunk)
        {
            lock (_text)
            {
                _text.Append(chunk);
                if (_text.Length > capacity * 2)
                {
                    _text.Remove(0, _text.Length - capacity);
                }
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.Length > capacity ? "…" + _text.ToString(_text.Length - capacity, capacity) : _text.ToString();
            }
        }
    }
}
