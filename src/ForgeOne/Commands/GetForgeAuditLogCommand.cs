using System.Management.Automation;
using System.Text;
using ForgeOne.Core.Audit;

namespace ForgeOne.Commands;

/// <summary>Gets the records of a repository's signed, hash-chained audit log.</summary>
/// <remarks>
/// <para>Every operation on a repository (backup, restore, verification, removal, prune, key and policy changes,
/// drills, legal holds) appends a record to its audit log: sequence number, time, actor (user, host, process),
/// operation, target, parameters, outcome, error, related ids, the hash chaining it to the record before and an
/// Ed25519 signature. Get-ForgeAuditLog emits them in sequence order as AuditRecord objects, filtered by time (-From
/// inclusive, -To exclusive), -Operation (for example backup.create), -Actor (user, or user@host), -Outcome
/// (Succeeded, Failed, Denied) and -FromSequence. Records are not verified here; Test-ForgeAuditLog does that.</para>
/// <para>-AsJsonLines emits each record as one line of JSON instead (a string without its line ending), the SIEM export
/// format documented in docs/design.md ("Audit log"): pipe it to Set-Content or Out-File for a .jsonl file a SIEM
/// ingests. Each line carries its hash and signature, so the export can be checked with the public key alone.</para>
/// </remarks>
/// <example>
/// <code>Get-ForgeAuditLog -Repository /backup/repo -From (Get-Date).AddDays(-1)</code>
/// <para>Lists the last day's records.</para>
/// </example>
/// <example>
/// <code>Get-ForgeAuditLog -Repository /backup/repo -Outcome Failed -Operation backup.create</code>
/// <para>Lists the failed backups.</para>
/// </example>
/// <example>
/// <code>Get-ForgeAuditLog -Repository /backup/repo -FromSequence 1201 -AsJsonLines | Add-Content /var/log/forgeone-audit.jsonl</code>
/// <para>Appends the records since the last export to a file the SIEM collects.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ForgeAuditLog")]
[OutputType(typeof(AuditRecord), typeof(string))]
public sealed class GetForgeAuditLogCommand : ForgeRepositoryCmdlet
{
    // Records read per batch: the pipeline gets them in batches, so memory stays bounded for any size of log.
    private const int BatchSize = 1000;

    /// <summary>Only records at or after this time.</summary>
    [Parameter]
    public DateTime? From { get; set; }

    /// <summary>Only records before this time.</summary>
    [Parameter]
    public DateTime? To { get; set; }

    /// <summary>Only records of this operation, for example backup.create or snapshot.delete.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Operation { get; set; }

    /// <summary>Only records by this actor: a user name, or user@host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Actor { get; set; }

    /// <summary>Only records with this outcome: Succeeded, Failed or Denied.</summary>
    [Parameter]
    [ValidateSet("Succeeded", "Failed", "Denied", IgnoreCase = true)]
    public string? Outcome { get; set; }

    /// <summary>Only records from this sequence number on.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? FromSequence { get; set; }

    /// <summary>Emit each record as a line of JSON (the SIEM export format) instead of an object.</summary>
    [Parameter]
    public SwitchParameter AsJsonLines { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var query = new AuditQuery
        {
            From = From is { } from ? ToUtc(from) : null,
            To = To is { } to ? ToUtc(to) : null,
            Operation = Operation,
            Actor = Actor,
            Outcome = Outcome is null ? null : Enum.Parse<AuditOutcome>(Outcome, ignoreCase: true),
        };
        var next = FromSequence ?? 1;
        while (TryRunForItem("Reading audit log", RepositoryLocation, (repository, _, ct) => ReadBatchAsync(repository, next, ct), out var batch))
        {
            foreach (var record in batch.Records.Where(query.Matches))
            {
                WriteObject(AsJsonLines ? Line(record) : record);
            }

            if (batch.Records.Count < BatchSize)
            {
                return;
            }

            next = batch.Records[^1].Sequence + 1;
        }
    }

    // The line without its LF: PowerShell ends each string it writes to a file with a line ending of its own.
    private static string Line(AuditRecord record)
    {
        var line = AuditJsonLines.ToLine(record);
        return Encoding.UTF8.GetString(line, 0, line.Length - 1);
    }

    private static async Task<Batch> ReadBatchAsync(Core.Repository.Repository repository, long from, CancellationToken cancellationToken)
    {
        using var log = AuditLog.Open(repository);
        var records = new List<AuditRecord>(BatchSize);
        await foreach (var record in log.QueryAsync(new AuditQuery { FromSequence = from }, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
            if (records.Count == BatchSize)
            {
                break;
            }
        }

        return new Batch(records);
    }

    private sealed record Batch(List<AuditRecord> Records);
}
