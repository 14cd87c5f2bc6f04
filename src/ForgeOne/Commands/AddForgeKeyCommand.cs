using System.Management.Automation;
using ForgeOne.Core.Repository;

namespace ForgeOne.Commands;

/// <summary>Adds a key slot: another passphrase or key file that opens the repository.</summary>
/// <remarks>
/// Add-ForgeKey opens the repository with your current credentials (-Credential, -KeyFile or the environment) and
/// wraps its master key once more, under -NewCredential's passphrase (Argon2id) or -NewKeyFile's 32 bytes, in a new
/// key slot. No data is re-encrypted, so it takes a moment whatever the repository's size. Use it to give a second
/// person or an unattended job its own way in, or before replacing a passphrase: add the new one, check that it opens
/// the repository, then remove the old slot with Remove-ForgeKey. The new slot comes out as a KeySlotInfo.
/// </remarks>
/// <example>
/// <code>Add-ForgeKey -Repository /backup/repo -Credential $admin -NewKeyFile ~/.forge/ci.key</code>
/// <para>Lets the key file open the repository, for an unattended job.</para>
/// </example>
/// <example>
/// <code>Add-ForgeKey -Repository /backup/repo -KeyFile ~/.forge/ci.key -NewCredential (Get-Credential -UserName forge)</code>
/// <para>Adds a passphrase slot, asking for the new passphrase.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "ForgeKey", DefaultParameterSetName = PassphraseSet, SupportsShouldProcess = true)]
[OutputType(typeof(KeySlotInfo))]
public sealed class AddForgeKeyCommand : ForgeRepositoryCmdlet
{
    private const string PassphraseSet = "Passphrase";
    private const string KeyFileSet = "KeyFile";

    /// <summary>The passphrase the new slot opens with, as a PSCredential (the user name is ignored).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PassphraseSet)]
    [Credential]
    public PSCredential NewCredential { get; set; } = PSCredential.Empty;

    /// <summary>The 32-byte key file the new slot opens with (see New-ForgeKeyFile).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeyFileSet)]
    [ValidateNotNullOrEmpty]
    public string NewKeyFile { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var location = RepositoryLocation;
        var what = ParameterSetName == KeyFileSet ? $"key file {NewKeyFile}" : "a new passphrase";
        if (!ShouldProcess(location, $"Add a key slot opened by {what}"))
        {
            return;
        }

        RepositoryCredentials credentials;
        try
        {
            credentials = ParameterSetName == KeyFileSet
                ? RepositoryCredentials.FromKeyFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(NewKeyFile))
                : CredentialReader.FromCredential(NewCredential);
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, ParameterSetName == KeyFileSet ? NewKeyFile : null);
            return;
        }

        using (credentials)
        {
            if (TryRunForItem("Adding key slot", location, async (repository, _, ct) =>
                {
                    var id = await repository.AddKeyAsync(credentials, null, ct).ConfigureAwait(false);
                    var keys = await repository.ListKeysAsync(ct).ConfigureAwait(false);
                    return keys.Single(k => k.Id == id);
                }, out var added))
            {
                WriteObject(WithRepository(added));
            }
        }
    }
}
