using System.Management.Automation;
using ForgeOne.Core.Configuration;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>Creates a new, empty, encrypted repository.</summary>
/// <remarks>
/// New-ForgeRepository makes a random master key, wraps it in one key slot opened by the passphrase of -Credential or
/// by the key file of -KeyFile (or FORGE_PASSPHRASE / FORGE_KEYFILE when neither is given), and writes the
/// repository's config: its id, the chunk sizes and the pack size, fixed for its life. The folder is created if it
/// does not exist. A location that already holds a repository, or an unfinished one, is left untouched and reported
/// as a RepositoryExists error. Add more passphrases or key files later with Add-ForgeKey; keep one of them safe,
/// because nothing else can open the repository. The output's Location binds to -Repository of the other cmdlets, so
/// a new repository can be piped straight into them.
/// </remarks>
/// <example>
/// <code>New-ForgeRepository -Path /backup/repo -Credential (Get-Credential -UserName forge)</code>
/// <para>Creates a repository opened by a passphrase, asking for it once.</para>
/// </example>
/// <example>
/// <code>New-ForgeKeyFile ~/.forge/ci.key; New-ForgeRepository -Path /backup/ci -KeyFile ~/.forge/ci.key</code>
/// <para>Creates a repository opened by a new key file, as unattended jobs use.</para>
/// </example>
/// <example>
/// <code>New-ForgeRepository -Path ./repo -KeyFile ./ci.key | Test-ForgeRepository -KeyFile ./ci.key</code>
/// <para>Creates a repository and checks it; the output binds to -Repository by its Repository alias.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ForgeRepository", DefaultParameterSetName = PassphraseSet, SupportsShouldProcess = true)]
[OutputType(typeof(RepositoryInfo))]
public sealed class NewForgeRepositoryCommand : ForgeCmdlet
{
    private const string PassphraseSet = "Passphrase";
    private const string KeyFileSet = "KeyFile";

    /// <summary>The folder to create the repository in; created if missing, and it must not hold a repository.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Repository", "FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The passphrase that will open the repository, as a PSCredential (the user name is ignored); by default FORGE_PASSPHRASE.</summary>
    [Parameter(ParameterSetName = PassphraseSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A 32-byte key file (see New-ForgeKeyFile) that will open the repository; by default FORGE_KEYFILE.</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeyFileSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string location;
        try
        {
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            WriteItemError(ex, Path);
            return;
        }

        if (!ShouldProcess(location, "Create a repository"))
        {
            return;
        }

        try
        {
            using var credentials = CredentialReader.Require(
                Credential, KeyFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KeyFile));
            var info = RunOperation("Creating repository", async (_, ct) =>
            {
                await using var backend = ForgeEnvironment.OpenBackend(location);
                await using var repository = await Repository.InitAsync(backend, credentials, null, ct).ConfigureAwait(false);
                return RepositoryInfo.From(repository);
            });
            WriteObject(info);
        }
        catch (Exception ex) when (ex is Core.ForgeException or ArgumentException or IOException or UnauthorizedAccessException or SessionStateException)
        {
            WriteItemError(ex, location);
        }
    }
}
