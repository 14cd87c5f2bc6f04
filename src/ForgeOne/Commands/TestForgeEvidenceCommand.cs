using System.Management.Automation;
using ForgeOne.Core.Evidence;

namespace ForgeOne.Commands;

/// <summary>Checks an evidence package offline: its signature, every file's hash and its audit log chain.</summary>
/// <remarks>
/// Test-ForgeEvidence needs no repository and no credentials. It checks that manifest.json is signed by the key it
/// names (or, with -PublicKey, by that key, which an auditor should take from a source they trust rather than the
/// package), that every file the manifest lists is present with its BLAKE3 hash and no other file was added, and that
/// the audit log inside verifies as a chain. The output is an EvidenceVerification: Passed, FilesChecked and Problems,
/// each naming the file (or record) that failed and why. A damaged package is a failed result, not an error.
/// Packages piped from Export-ForgeEvidence bind -Path by property name.
/// </remarks>
/// <example>
/// <code>Test-ForgeEvidence -Path ./evidence-2026Q4.zip</code>
/// <para>Checks the package against the key its manifest names.</para>
/// </example>
/// <example>
/// <code>Test-ForgeEvidence ./evidence.zip -PublicKey 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29</code>
/// <para>Checks that the package was signed by the repository whose audit key the auditor holds.</para>
/// </example>
/// <example>
/// <code>(Export-ForgeEvidence -Repository /backup/repo -Path ./e.zip | Test-ForgeEvidence).Problems</code>
/// <para>Writes a package and checks it straight away.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ForgeEvidence")]
[OutputType(typeof(EvidenceVerification))]
public sealed class TestForgeEvidenceCommand : ForgeCmdlet
{
    /// <summary>The evidence package (zip).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The audit public key (64 hex digits) the package must be signed with; by default the key its manifest names.</summary>
    [Parameter]
    [ValidatePattern("^[0-9a-fA-F]{64}$")]
    public string? PublicKey { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var path in ResolveFileSystemPaths(Path, literal: false))
        {
            try
            {
                WriteObject(RunOperation("Checking evidence package", (_, _) => Task.FromResult(EvidenceVerifier.Verify(path, PublicKey))));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                WriteItemError(ex, path);
            }
        }
    }
}
