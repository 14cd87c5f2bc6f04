using System.Management.Automation;
using ForgeOne.Core.Hashing;

namespace ForgeOne.Commands;

/// <summary>Computes the BLAKE3 hash of files.</summary>
/// <remarks>
/// Get-ForgeHash works like Get-FileHash, with BLAKE3: the hash is lowercase hex and equals what b3sum prints for the
/// same file. -Path expands wildcards through the provider; -LiteralPath takes paths as written, and binds by property
/// name to the PSPath of Get-ChildItem output. With -Key the hash is BLAKE3's keyed mode (a MAC), and -Length asks for
/// more or fewer output bytes from BLAKE3's extendable output. Large files are hashed on several cores.
/// </remarks>
/// <example>
/// <code>Get-ForgeHash -Path ./backup.tar</code>
/// <para>Hashes one file and returns its Algorithm, Hash and Path.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data -File | Get-ForgeHash</code>
/// <para>Hashes every file in a folder; the files bind to -LiteralPath through their PSPath property.</para>
/// </example>
/// <example>
/// <code>$key = [byte[]]::new(32); Get-ForgeHash -LiteralPath 'report[1].pdf' -Key $key -Length 64</code>
/// <para>Computes a 64-byte keyed BLAKE3 hash of a file whose name contains wildcard characters.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeHash", DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileHash))]
public sealed class GetForgeHashCommand : ForgeCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Paths of the files to hash. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Paths of the files to hash, used exactly as written (no wildcards). Binds to PSPath from Get-ChildItem.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>A 32-byte key: computes BLAKE3's keyed hash (a MAC) instead of the plain hash.</summary>
    [Parameter]
    [ValidateCount(32, 32)]
    public byte[]? Key { get; set; }

    /// <summary>Output length in bytes, from 1 to 1048576; the default is 32.</summary>
    [Parameter]
    [ValidateRange(1, FileHasher.MaxOutputLength)]
    public int Length { get; set; } = 32;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var input in literal ? LiteralPath : Path)
        {
            foreach (var path in ResolveFileSystemPaths(input, literal))
            {
                CancellationToken.ThrowIfCancellationRequested();
                if (Directory.Exists(path))
                {
                    WriteError(new ErrorRecord(
                        new ArgumentException($"'{path}' is a directory; Get-ForgeHash hashes files. Pass the files, e.g. Get-ChildItem -File '{path}' | Get-ForgeHash."),
                        "PathIsDirectory", ErrorCategory.InvalidArgument, path));
                    continue;
                }

                WriteProgress(new ProgressRecord(1, "Hashing files", path));
                try
                {
                    WriteObject(FileHasher.Hash(path, Key, Length));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteItemError(ex, path);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() =>
        WriteProgress(new ProgressRecord(1, "Hashing files", "Done") { RecordType = ProgressRecordType.Completed });
}
