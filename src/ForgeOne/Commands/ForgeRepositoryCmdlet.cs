using System.Management.Automation;
using System.Runtime.InteropServices;
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
    protected string RepositoryLocation => SessionState.Path.GetUnresolvedProviderPathFromPSPath(ForgeEnvironment.ResolveLocation(Repository));

    /// <summary>Credentials as the user gave them; the caller disposes them.</summary>
    protected RepositoryCredentials ResolveCredentials()
    {
        var keyFile = KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile);
        var passphrase = Credential is null ? null : Unprotect(Credential);
        try
        {
            return ForgeEnvironment.RequireCredentials(passphrase, keyFile);
        }
        finally
        {
            if (passphrase is not null)
            {
                Array.Clear(passphrase);
            }
        }
    }

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
        catch (Exception ex) when (ex is Core.ForgeException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            // Wrong credentials or a missing repository fail every item alike, so stop here.
            ThrowTerminating(ex, location);
            throw;
        }

        _open[location] = repository;
        return repository;
    }

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
    protected override void StopProcessing()
    {
        base.StopProcessing();
        CloseRepositories();
    }

    private void CloseRepositories()
    {
        foreach (var repository in _open.Values)
        {
            repository.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _open.Clear();
    }

    private static char[] Unprotect(PSCredential credential)
    {
        var secure = credential.Password;
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            var chars = new char[secure.Length];
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return chars;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
