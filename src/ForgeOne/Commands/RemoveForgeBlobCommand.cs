using System.Management.Automation;
using ForgeOne.Core.Store.Blobs;

namespace ForgeOne.Commands;

/// <summary>Removes blobs from a store, freeing the chunks no other blob uses.</summary>
/// <remarks>
/// Remove-ForgeBlob deletes each named blob's metadata and chunk list in one transaction, and the chunks no other
/// blob of the shard shares. A name that is not in the store is a non-terminating BlobNotFound error. It asks for
/// confirmation (ConfirmImpact High) unless you pass -Confirm:$false; -WhatIf lists what would go. Blobs from
/// Get-ForgeBlob bind -Name by property name. Backups taken before keep the blob; to make personal data unreadable
/// in backups too, give it a -Subject when adding it and use Remove-ForgeSubjectKey.
/// </remarks>
/// <example>
/// <code>Remove-ForgeBlob -Store ./store -KeyFile ./store.key -Name tmp/upload.bin -Confirm:$false</code>
/// <para>Removes one blob without asking.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBlob -Prefix tmp/ | Remove-ForgeBlob -WhatIf</code>
/// <para>Lists the blobs under tmp/ that would be removed, removing nothing.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "ForgeBlob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveForgeBlobCommand : ForgeStoreCmdlet
{
    /// <summary>Names of the blobs to remove (case-sensitive).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, "Remove blob"))
            {
                continue;
            }

            try
            {
                if (!store.Blobs.Remove(name))
                {
                    WriteItemError(new BlobNotFoundException(name), name);
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, name);
            }
        }
    }
}
