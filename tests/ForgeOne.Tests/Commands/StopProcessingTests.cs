using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using ForgeOne.Tests.Harness;

namespace ForgeOne.Tests.Commands;

/// <summary>
/// Ctrl+C in pwsh: the engine calls StopProcessing, the base cancels Core's token, and the command ends as a stopped
/// pipeline, leaving no lock and no snapshot behind, so the next backup runs.
/// </summary>
public sealed class StopProcessingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forgeone-stop-").FullName;

    [Fact]
    public void A_backup_stopped_mid_way_ends_as_a_stopped_pipeline_and_leaves_nothing_behind()
    {
        var source = Path.Join(_folder, "source");
        Directory.CreateDirectory(source);
        for (var index = 0; index < 160; index++)
        {
            File.WriteAllBytes(Path.Join(source, $"file{index:D3}.bin"), RandomNumberGenerator.GetBytes(1024 * 1024));
        }

        var repository = Path.Join(_folder, "repo");
        var key = Path.Join(_folder, "repo.key");
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        Invoke(runspace, $"Import-Module '{ModuleLayout.ManifestPath}' -ErrorAction Stop; $null = New-ForgeKeyFile -Path '{key}'; $null = New-ForgeRepository -Path '{repository}' -KeyFile '{key}'");

        using (var shell = PowerShell.Create())
        {
            shell.Runspace = runspace;
            shell.AddScript($"New-ForgeBackup -Repository '{repository}' -KeyFile '{key}' -Path '{source}'");
            using var progressed = new ManualResetEventSlim();
            shell.Streams.Progress.DataAdded += (_, _) => progressed.Set();
            var running = shell.BeginInvoke();

            Assert.True(progressed.Wait(TimeSpan.FromMinutes(2)), "the backup reported no progress");
            shell.Stop();

            var error = Assert.ThrowsAny<Exception>(() => shell.EndInvoke(running));
            Assert.IsType<PipelineStoppedException>(error);
        }

        Assert.Empty(FilesIn(Path.Join(repository, "locks")));
        Assert.Empty(FilesIn(Path.Join(repository, "snapshots")));
        var next = Invoke(runspace, $"New-ForgeBackup -Repository '{repository}' -KeyFile '{key}' -Path '{source}'");
        Assert.Single(next);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The local backend removes a folder once it is empty.
    private static IEnumerable<string> FilesIn(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : [];

    private static System.Collections.ObjectModel.Collection<PSObject> Invoke(Runspace runspace, string script)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        var output = shell.Invoke();
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        return output;
    }
}
