using System.Management.Automation;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Commands;

/// <summary>Creates a new random 32-byte key file.</summary>
/// <remarks>
/// New-ForgeKeyFile writes 32 bytes from the operating system's secure random generator. On Linux and macOS the file is
/// created with mode 0600 (readable and writable only by you) from its first byte; on Windows it inherits the folder's
/// ACL, so keep it in a folder only you can read. A key file opens a repository's key slot instead of a passphrase
/// (-KeyFile, or the FORGE_KEYFILE environment variable). The cmdlet refuses to replace an existing file unless you pass
/// -Force, because replacing a key file can lock you out of every repository it opens.
/// </remarks>
/// <example>
/// <code>New-ForgeKeyFile -Path ~/.forge/backup.key</code>
/// <para>Creates the key file and returns it as a FileInfo object.</para>
/// </example>
/// <example>
/// <code>New-ForgeKeyFile -Path ./ci.key -Force -WhatIf</code>
/// <para>Shows that ./ci.key would be replaced, without writing anything.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ForgeKeyFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class NewForgeKeyFileCommand : ForgeCmdlet
{
    /// <summary>Where to write the key file. Its folder must exist.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing file at -Path. Without it, an existing file is an error and is left untouched.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var action = File.Exists(target) ? "Replace with a new random key" : "Create a new random key";
        if (!ShouldProcess(target, action))
        {
            return;
        }

        try
        {
            KeyFile.Generate(target, Force);
            WriteObject(new FileInfo(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Core.ForgeException)
        {
            WriteItemError(ex, target);
        }
    }
}
