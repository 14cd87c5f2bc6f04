using System.Management.Automation;
using ForgeOne.Core.Store.Blobs;

namespace ForgeOne.Commands;

/// <summary>Gets the metadata of a store's blobs: by name, by name prefix, or all of them.</summary>
/// <remarks>
/// Get-ForgeBlob reads blob metadata only, not content (use Save-ForgeBlob for that). Without -Name it lists every
/// blob of the store, or those whose name starts with -Prefix, in name order. A name that is not in the store is a
/// non-terminating BlobNotFound error. Names are case-sensitive. The output binds by property name to the -Name of
/// Save-ForgeBlob and Remove-ForgeBlob.
/// </remarks>
/// <example>
/// <code>Get-ForgeBlob -Store ./store -KeyFile ./store.key -Name invoices/2025-001.pdf</code>
/// <para>Shows one blob's size, checksum, content type and when it was added.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBlob -Prefix invoices/ | Where-Object Size -gt 10MB</code>
/// <para>Lists the large invoices in the store named by FORGE_STORE.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeBlob", DefaultParameterSetName = PrefixSet)]
[OutputType(typeof(BlobMetadata))]
public sealed class GetForgeBlobCommand : ForgeStoreCmdlet
{
    private const string NameSet = "Name";
    private const string PrefixSet = "Prefix";

    /// <summary>Names of blobs to get (case-sensitive).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Lists only the blobs whose name starts with this (case-sensitive); by default every blob.</summary>
    [Parameter(ParameterSetName = PrefixSet)]
    public string? Prefix { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (ParameterSetName == PrefixSet)
        {
            try
            {
                WriteObject(store.Blobs.List(Prefix), enumerateCollection: true);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, store.Path);
            }

            return;
        }

        foreach (var name in Name)
        {
            try
            {
                WriteObject(store.Blobs.Get(name));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, name);
            }
        }
    }
}
