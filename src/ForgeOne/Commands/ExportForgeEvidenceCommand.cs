using System.Management.Automation;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Evidence;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Verification;

namespace ForgeOne.Commands;

/// <summary>Writes a signed evidence package of a repository's backups, checks, drills and audit log, for auditors.</summary>
/// <remarks>
/// <para>Export-ForgeEvidence writes a zip an auditor can check offline with Test-ForgeEvidence: the snapshot inventory
/// of the period (JSON and CSV), drill results, the verification results you pipe in, every version of the retention
/// policy, the legal holds, the whole audit log with its verification, a map from SOC 2, ISO 27001 and GDPR controls
/// (-Framework, by default all three) to that evidence with each control's status, report.html for people, and
/// manifest.json listing every file's BLAKE3 hash, signed with the repository's audit key (manifest.sig).</para>
/// <para>The period is -From to -To (by default the 90 days up to now). Snapshots, SnapshotVerification (from
/// Test-ForgeSnapshot), RepositoryCheckResult (from Test-ForgeRepository) and DrDrillResult objects (from
/// Invoke-ForgeDrDrill or Get-ForgeDrDrill) piped in are included; other objects are reported as InvalidInputObject
/// errors. The package is written when the input ends, whole under a temporary name and then renamed; an existing
/// file is replaced only with -Force. The output is an EvidencePackage naming the file, its size, the signing public
/// key and every control's status.</para>
/// </remarks>
/// <example>
/// <code>Export-ForgeEvidence -Repository /backup/repo -Path ./evidence-2026Q4.zip -From 2026-10-01 -To 2027-01-01</code>
/// <para>Writes the evidence of the fourth quarter for every framework.</para>
/// </example>
/// <example>
/// <code>Get-ForgeBackup -Repository /backup/repo | Test-ForgeSnapshot | Export-ForgeEvidence -Repository /backup/repo -Path ./evidence.zip -Framework SOC2</code>
/// <para>Verifies every snapshot and packages the results with the SOC 2 control map.</para>
/// </example>
/// <example>
/// <code>Invoke-ForgeDrDrill -Repository /backup/repo -RpoObjective 24:00:00 | Export-ForgeEvidence -Path ./drill.zip -RpoObjective 24:00:00 -Force</code>
/// <para>Runs a drill and packages it, drawing the backup timeline against a 24-hour RPO.</para>
/// </example>
[Cmdlet(VerbsData.Export, "ForgeEvidence", SupportsShouldProcess = true)]
[OutputType(typeof(EvidencePackage))]
public sealed class ExportForgeEvidenceCommand : ForgeRepositoryCmdlet
{
    private readonly List<object> _items = [];

    /// <summary>The zip file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Start of the period; by default 90 days before -To.</summary>
    [Parameter]
    public DateTime? From { get; set; }

    /// <summary>End of the period; by default now.</summary>
    [Parameter]
    public DateTime? To { get; set; }

    /// <summary>The frameworks whose controls are mapped: SOC2, ISO27001, GDPR; by default all three.</summary>
    [Parameter]
    [ValidateSet("SOC2", "ISO27001", "GDPR", IgnoreCase = true)]
    public string[] Framework { get; set; } = [];

    /// <summary>The recovery point objective the backup timeline is drawn against, for example 24h.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? RpoObjective { get; set; }

    /// <summary>Snapshots, verification results, repository checks and drill results to include.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var input in InputObject)
        {
            var value = input?.BaseObject;
            if (value is Snapshot or SnapshotVerification or RepositoryCheckResult or DrDrillResult)
            {
                _items.Add(value);
            }
            else
            {
                var exception = new ArgumentException(
                    $"Export-ForgeEvidence takes snapshots, snapshot verifications, repository checks and drill results, not {value?.GetType().Name ?? "null"}. Pipe in the output of Get-ForgeBackup, Test-ForgeSnapshot, Test-ForgeRepository or Invoke-ForgeDrDrill.");
                WriteError(new ErrorRecord(exception, "InvalidInputObject", ErrorCategory.InvalidType, input));
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string path;
        try
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception ex) when (IsItemFailure(ex) || ex is NotSupportedException)
        {
            ThrowTerminating(ex, Path);
            throw;
        }

        if (ShouldProcess(path, "Write an evidence package"))
        {
            var frameworks = ComplianceFramework.None;
            foreach (var name in Framework)
            {
                frameworks |= name.ToUpperInvariant() switch
                {
                    "SOC2" => ComplianceFramework.Soc2,
                    "ISO27001" => ComplianceFramework.Iso27001,
                    _ => ComplianceFramework.Gdpr,
                };
            }

            var options = new EvidenceOptions
            {
                Path = path,
                From = From is { } from ? ToUtc(from) : null,
                To = To is { } to ? ToUtc(to) : null,
                Frameworks = frameworks == ComplianceFramework.None ? ComplianceFramework.All : frameworks,
                RpoObjective = RpoObjective,
                Items = _items,
                Force = Force,
            };
            if (TryRunForItem("Writing evidence package", path, (repository, _, ct) => EvidenceExporter.ExportAsync(repository, options, ct), out var package))
            {
                WriteObject(package);
            }
        }

        base.EndProcessing();
    }
}
