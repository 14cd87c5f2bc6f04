using System.Collections;
using System.Management.Automation;
using ForgeOne.Core.Store.Blobs;

namespace ForgeOne.Commands;

/// <summary>Adds a file, or bytes from the pipeline, to a store as a named blob, encrypted and deduplicated.</summary>
/// <remarks>
/// <para>Add-ForgeBlob streams the content into the store: it is cut into content-defined chunks, each chunk the
/// shard does not hold yet is compressed and sealed, and the blob's metadata (name, size, BLAKE3 checksum, content
/// type, who added it and any -Metadata) is sealed beside them. A file is read as a stream, never whole into memory.
/// Adding under a name that exists replaces that blob in one transaction; the old content's chunks no other blob uses
/// are freed.</para>
/// <para>With -Path, files from Get-ChildItem bind by property name: FullName to -Path and Name to -Name, so each
/// file becomes a blob named as the file. With -InputObject, bytes or byte arrays from the pipeline are gathered into
/// one blob (spooled to a temporary file, not memory), and each Stream piped in becomes one blob named -Name.</para>
/// <para>The output is the stored blob's metadata (BlobMetadata). If Ctrl+C stops the command, the blob being added
/// is not stored.</para>
/// </remarks>
/// <example>
/// <code>Add-ForgeBlob -Store ./store -KeyFile ./store.key -Name invoices/2025-001.pdf -Path ./2025-001.pdf -ContentType application/pdf</code>
/// <para>Adds a PDF under the name invoices/2025-001.pdf.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./reports -File | Add-ForgeBlob -Store ./store -KeyFile ./store.key</code>
/// <para>Adds every file of a folder, each named as its file.</para>
/// </example>
/// <example>
/// <code>[IO.File]::ReadAllBytes('./photo.jpg') | Add-ForgeBlob -Name users/u42/photo.jpg -Subject u42 -Metadata @{ owner = 'a@example.com' } -SensitiveField owner</code>
/// <para>Adds bytes from the pipeline to the store named by FORGE_STORE, with an owner field sealed under the data subject's key.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "ForgeBlob", SupportsShouldProcess = true)]
[OutputType(typeof(BlobMetadata))]
public sealed class AddForgeBlobCommand : ForgeStoreCmdlet
{
    private FileStream? _spool;

    /// <summary>The blob's name, 1 to 1024 characters, unique in the store (for example invoices/2025-001.pdf).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    // -Path and -InputObject share one parameter set: in two sets, -Name (in both) left both open, PowerShell bound
    // piped bytes against the default -Path set only, and they failed with InputObjectNotBound.

    /// <summary>The file to add; read as a stream. Give either -Path or content from the pipeline.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The content: bytes or byte arrays (gathered into one blob), or a Stream (one blob each, read to its end).</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>The media type, for example application/pdf; by default application/octet-stream.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ContentType { get; set; }

    /// <summary>Extra fields, up to 64: keys of letters, digits and . _ -, values of up to 4096 characters.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? Metadata { get; set; }

    /// <summary>The data subject the blob is about (a user id, an email address); sealed under that subject's own key.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    /// <summary>Metadata fields that are personal data, sealed with -Subject so erasing the subject erases them.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? SensitiveField { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!string.IsNullOrEmpty(Path))
        {
            var files = ResolveFileSystemPaths(Path, literal: false).ToList();
            if (files.Count > 1)
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"'{Path}' matches {files.Count} files, but blob '{Name}' can hold one. Give one file, or pipe the files from Get-ChildItem so each is named as its file."),
                    "AmbiguousPath", ErrorCategory.InvalidArgument, Path));
            }
            else if (files.Count == 1 && ShouldProcess(Name, $"Add blob from '{files[0]}'"))
            {
                using var file = new FileStream(files[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                Add(files[0], file);
            }

            return;
        }

        switch (InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject)
        {
            case Stream stream:
                if (ShouldProcess(Name, "Add blob from a stream"))
                {
                    Add(Name, stream);
                }

                break;
            case byte value:
                Spool().WriteByte(value);
                break;
            case byte[] bytes:
                Spool().Write(bytes);
                break;
            case null:
                WriteError(new ErrorRecord(
                    new ArgumentException($"Nothing to add as blob '{Name}': give a file with -Path, or pipe bytes or a stream in."),
                    "NoContent", ErrorCategory.InvalidArgument, Name));
                break;
            default:
                WriteError(new ErrorRecord(
                    new ArgumentException($"Add-ForgeBlob takes bytes, byte arrays or streams from the pipeline, not {InputObject?.GetType().Name ?? "null"}. Use -Path for a file."),
                    "InvalidInputObject", ErrorCategory.InvalidArgument, InputObject));
                break;
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_spool is { } spool && ShouldProcess(Name, $"Add blob of {spool.Length} bytes from the pipeline"))
        {
            spool.Position = 0;
            Add(Name, spool);
        }

        DisposeSpool();
        base.EndProcessing();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeSpool();
        }

        base.Dispose(disposing);
    }

    private void Add(object target, Stream content)
    {
        var store = OpenStore();
        var options = new BlobAddOptions
        {
            ContentType = ContentType,
            Metadata = StoreParameters.ToMetadata(Metadata),
            Subject = Subject,
            SensitiveFields = SensitiveField ?? [],
        };
        try
        {
            WriteObject(RunOperation("Adding blob", (_, ct) => Task.FromResult(store.Blobs.Add(Name, content, options, ct))));
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteItemError(ex, target);
        }
    }

    // Pipeline bytes go to a temporary file, so a large blob piped in never sits in memory whole.
    private FileStream Spool() => _spool ??= new FileStream(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "forge-blob-" + Guid.NewGuid().ToString("N")),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    private void DisposeSpool()
    {
        _spool?.Dispose();
        _spool = null;
    }
}
