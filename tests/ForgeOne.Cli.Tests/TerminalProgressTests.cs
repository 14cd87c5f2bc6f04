using System.Diagnostics;
using System.Text;

namespace ForgeOne.Cli.Tests;

public sealed class TerminalProgressTests : IDisposable
{
    private readonly ScratchFolder _scratch = new("cli-progress-");
    private readonly TestRepository _repository;
    private readonly string _source;

    public TerminalProgressTests()
    {
        _repository = TestRepository.Init(_scratch["repo"]);
        _source = _scratch["src"];
        for (var i = 0; i < 8; i++)
        {
            TestFiles.WriteRandom(Path.Combine(_source, $"f{i}.bin"), 1 << 20, i);
        }
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Redirected_stderr_gets_no_progress_line()
    {
        var runs = new[]
        {
            _repository.Run("backup", "create", _source).Expect(0),
            _repository.Run("backup", "restore", "--to", _scratch["restored"]).Expect(0),
            _repository.Run("snapshot", "verify", "--read-data").Expect(0),
            _repository.Run("check", "--read-data").Expect(0),
        };

        foreach (var run in runs)
        {
            Assert.Empty(run.Error);
            Assert.DoesNotContain('\r', run.Output);
            Assert.Single(run.Output.TrimEnd().Split('\n'));
        }
    }

    [Fact]
    public void At_a_terminal_one_progress_line_is_drawn_and_cleared_before_the_summary()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // util-linux `script` gives the child a pseudo-terminal; other systems lack it or its options.
        }

        // `script` runs forge on a new pseudo-terminal that reports no size, as CI containers with a TTY often do.
        var output = AtTerminal($"dotnet '{Path.Combine(AppContext.BaseDirectory, "forge.dll")}' backup create --repo '{_repository.Path}' '{_source}'");

        var summary = output.IndexOf("snapshot ", StringComparison.Ordinal);
        Assert.True(summary > 0, output);
        var progress = output[..summary];
        var after = output[summary..];
        // Once the scan has sized the backup, the line leads with a percentage and counts files against the total.
        Assert.Matches(@"\r( *\d+% )?Backing up: \d+(/8)? files, ", progress);
        Assert.Contains(" MiB/s", progress, StringComparison.Ordinal);
        Assert.EndsWith(new string(' ', 79) + "\r", progress, StringComparison.Ordinal);
        Assert.Matches("^snapshot [0-9a-f]{8} saved: .* DNA [0-9a-f]{64}\r\n$", after);
    }

    private string AtTerminal(string command)
    {
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _repository.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"script exited with {process.ExitCode}: {output} {error.Result}");

        // Drop the terminal set-up sequences (ESC [ ? 1 h, ESC =) the .NET console writes at start and end.
        return new StringBuilder(output).Replace("\u001b[?1h", "").Replace("\u001b=", "").Replace("\u001b[?1l", "").Replace("\u001b>", "").ToString();
    }
}
