using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ForgeOne.Tests.Harness;

/// <summary>
/// The real PowerShell engine, hosted in this process, with the packaged ForgeOne module imported by its manifest:
/// tests run script text and assert on the objects and records it produces, as Pester would under pwsh.
/// </summary>
/// <remarks>
/// One runspace per test class (xunit class fixture). The hosted engine has only the core cmdlets (Where-Object,
/// ForEach-Object, Import-Module, Get-Help, …), so test scripts avoid Select-Object, Sort-Object and ConvertTo-Json.
/// </remarks>
public sealed class ModuleFixture : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>Starts the engine and imports the module; fails loudly if the module is not built.</summary>
    public ModuleFixture()
    {
        if (!File.Exists(ModuleLayout.ManifestPath))
        {
            throw new InvalidOperationException($"The packaged module is missing at {ModuleLayout.ManifestPath}; build src/ForgeOne first.");
        }

        // Help lookup follows the UI culture; pin it so Get-Help finds en-US on machines set to another or none.
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // Execution policy exists only on Windows; elsewhere setting it throws.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        _runspace.Open();
        Run($"Import-Module '{ModuleLayout.ManifestPath}' -ErrorAction Stop").ShouldSucceed();
    }

    /// <summary>Scratch folder for this fixture, deleted on dispose.</summary>
    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("forgeone-ps-").FullName;

    /// <summary>Runs <paramref name="script"/> with the given variables set, collecting every stream.</summary>
    public PowerShellResult Run(string script, IDictionary? variables = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (DictionaryEntry variable in variables)
            {
                _runspace.SessionStateProxy.SetVariable((string)variable.Key, variable.Value);
            }
        }

        shell.AddScript(script);
        ErrorRecord? terminating = null;
        List<PSObject> output = [];
        try
        {
            output.AddRange(shell.Invoke());
        }
        catch (RuntimeException ex)
        {
            terminating = ex.ErrorRecord;
        }

        return new PowerShellResult(
            output,
            shell.Streams.Error.ToList(),
            shell.Streams.Warning.ToList(),
            shell.Streams.Verbose.ToList(),
            shell.Streams.Progress.ToList(),
            shell.Streams.Information.ToList(),
            terminating);
    }

    /// <summary>
    /// Runs <paramref name="script"/> so that a statement-terminating error (a cmdlet's ThrowTerminatingError, a
    /// parameter binding failure) stops it and lands in <see cref="PowerShellResult.Terminating"/>, as Pester's
    /// <c>Should -Throw</c> sees it; in a plain script run such errors only go to the error stream. Non-terminating
    /// errors stay in <see cref="PowerShellResult.Errors"/>.
    /// </summary>
    public PowerShellResult RunCatching(string script, IDictionary? variables = null) =>
        Run($"try {{\n{script}\n}} catch {{ throw }}", variables);

    /// <inheritdoc />
    public void Dispose()
    {
        _runspace.Dispose();
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test must not hide that test's own failure.
        }
    }
}
