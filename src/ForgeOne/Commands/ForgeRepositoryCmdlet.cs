using System.Management.Automation;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>
/// Base of the cmdlets that work on a repository: declares -Repository (bound by property name, so snapshots from
/// Get-ForgeBackup pipe into the others), -Credential and -KeyFile, and opens each repository once per command.
/// </summary>
/// <remarks>
/// Credentials come from -KeyFile, then -Credential, then the FORGE_KEYFILE and FORGE_PASSPHRASE environment
/// variables, so Azure Automation runbooks need no prompt. There is no plain-text passphrase parameter.
/// </remarks>
public abstract class ForgeRepositoryCmdlet : ForgeCmdlet
{
    private readonly Dictionary<string, Repository> _open = new(StringComparer.Ordinal);

    /// <summary>The repository folder; by default the FORGE_REPOSITORY environment variable.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    /// <summary>The repository passphrase as a PSCredential (the user name is ignored); by default FORGE_PASSPHRASE.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A 32-byte key file that opens one of the repository's key slots; by default FORGE_KEYFILE.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>The resolved repository location (file system path) for the current pipeline item.</summary>
    /// <remarks>No repository given anywhere, or a path that is not on the file system, terminates the command.</remarks>
    protected string RepositoryLocation
    {
        get
        {
            var location = Repository ?? Environment.GetEnvironmentVariable(ForgeEnvironment.RepositoryVariable) ?? "";
            try
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(ForgeEnvironment.ResolveLocation(Repository));
            }
            catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
            {
                ThrowTerminating(ex, location);
                throw;
            }
        }
    }

    /// <summary>Credentials as the user gave them; the caller disposes them.</summary>
    protected RepositoryCredentials ResolveCredentials() => CredentialReader.Require(
        Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile));

    /// <summary>Opens the repository of the current pipeline item, once per command; failures terminate the command.</summary>
    protected Repository OpenRepository()
    {
        var location = RepositoryLocation;
        if (_open.TryGetValue(location, out var repository))
        {
            return repository;
        }

        try
        {
            using var credentials = ResolveCredentials();
            repository = RunOperation("Opening repository", (_, ct) =>
                Core.Repository.Repository.OpenAsync(ForgeEnvironment.OpenBackend(location), credentials, ct));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            // Wrong credentials or a missing repository fail every item alike, so stop here.
            ThrowTerminating(ex, location);
            throw;
        }

        _open[location] = repository;
        return repository;
    }

    /// <summary>
    /// Runs a Core operation for one pipeline item on that item's repository. A failure of the item alone is written
    /// as a non-terminating error (the caller decides with -ErrorAction) and returns false; failing to open the
    /// repository terminates the command, since every item would fail alike.
    /// </summary>
    /// <param name="activity">What the progress bar says while the operation runs.</param>
    /// <param name="target">The item, as the error record's target object.</param>
    /// <param name="operation">The Core call.</param>
    /// <param name="result">What the operation returned, when it succeeded.</param>
    /// <returns>True when the operation succeeded.</returns>
    protected bool TryRunForItem<T>(string activity, object? target,
        Func<Core.Repository.Repository, IProgress<Core.Progress.OperationProgress>, CancellationToken, Task<T>> operation,
        [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T result)
    {
        var repository = OpenRepository();
        try
        {
            result = RunOperation(activity, (progress, ct) => operation(repository, progress, ct));
            return true;
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, target);
            result = default;
            return false;
        }
    }

    /// <summary>
    /// True for failures that are the item's or the user's, not bugs: Core's, argument and I/O exceptions, and paths
    /// PowerShell cannot resolve (a drive that does not exist).
    /// </summary>
    protected static bool IsItemFailure(Exception exception) =>
        exception is Core.ForgeException or ArgumentException or IOException or UnauthorizedAccessException or SessionStateException;

    /// <summary>Attaches the repository location to an output object, as providers attach PSPath.</summary>
    protected PSObject WithRepository(object value)
    {
        var output = PSObject.AsPSObject(value);
        output.Properties.Add(new PSNoteProperty(nameof(Repository), RepositoryLocation));
        return output;
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        CloseRepositories();
        base.EndProcessing();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Ctrl+C only cancels: the operation still running may use the repository until it sees the cancellation, so
    /// the repositories are closed in <see cref="Dispose(bool)"/>, which PowerShell calls after a stop as well.
    /// </remarks>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseRepositories();
        }

        base.Dispose(disposing);
    }

    private void CloseRepositories()
    {
        foreach (var repository in _open.Values)
        {
            repository.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _open.Clear();
    }
}
