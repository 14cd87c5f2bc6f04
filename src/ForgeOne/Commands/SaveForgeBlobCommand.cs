using System.Management.Automation;

namespace ForgeOne.Commands;

/// <summary>Saves a blob's content from a store to a file, checked before it takes the file's name.</summary>
/// <remarks>
/// Save-ForgeBlob streams the blob out of the store, checking each chunk and, at the end, the whole content's BLAKE3
/// checksum. It writes under a hidden temporary name in the target folder and renames the file only when everything
/// checked out, so -Path never holds a partial or damaged file; damaged content is a BlobIntegrityFailed error and
/// leaves no file. When -Path is an existing folder, the file is named as the last part of the blob's name. An
/// existing file is replaced only with -Force. Blobs from Get-ForgeBlob bind -Name by property name. The output is
/// the file written (FileInfo).
/// </remarks>
/// <example>
/// <code>Save-ForgeBlob -Store ./store -KeyFile ./store.key -Name invoices/2025-001.pdf -Path ./2025-001.pdf</code>
/// <para>Saves one blob to a file.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBlob -Prefix invoices/ | Save-ForgeBlob -Path ./invoices -Force</code>
/// <para>Saves every invoice into the existing folder ./invoices, replacing files already there.</para>
/// </example>
[Cmdlet(VerbsData.Save, "ForgeBlob", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveForgeBlobCommand : ForgeStoreCmdlet
{
    /// <summary>The blob's name (case-sensitive).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The file to write, or an existing folder to write it into under the last part of the blob's name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string target;
        try
        {
            target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or SessionStateException or NotSupportedException)
        {
            WriteItemError(ex, Path);
            return;
        }

        if (Directory.Exists(target))
        {
            target = System.IO.Path.Combine(target, System.IO.Path.GetFileName(Name.TrimEnd('/')));
        }

        var store = OpenStore();
        if (!ShouldProcess(target, $"Save blob '{Name}'"))
        {
            return;
        }

        try
        {
            WriteObject(RunOperation("Saving blob", (_, ct) => Task.FromResult(store.Blobs.Save(Name, target, Force, ct))));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, Name);
        }
    }
}
