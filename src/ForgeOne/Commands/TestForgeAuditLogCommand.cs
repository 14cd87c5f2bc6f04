using System.Management.Automation;
using ForgeOne.Core.Audit;

namespace ForgeOne.Commands;

/// <summary>Checks a repository's whole audit log: every record, hash link and signature, against known heads.</summary>
/// <remarks>
/// <para>Test-ForgeAuditLog reads every record of the audit log and checks that each opens and parses, sits in its own
/// slot in gapless order from 1, hashes to its hash, chains to the record before and is signed with the trusted key;
/// that the log reaches every anchor with the anchored hash; and that the published key is the trusted one. The
/// output is an AuditVerification: Passed, RecordsChecked, Head, and on failure FirstBadSequence and Reason: Modified
/// (a record's content changed), Removed (a record is missing), Reordered (records swapped or moved), BadSignature
/// (signed with another key), Truncated (the log ends before, or differs at, an anchor) or KeyMismatch (the published
/// key was replaced). A failed check is a result, not an error.</para>
/// <para>Anchors are heads recorded elsewhere, as 'sequence:hash': by default every snapshot's AuditHead (each backup
/// records the log's head), so a log cut back after a backup fails as Truncated; -Anchor gives others instead. The
/// trusted key is by default derived from the repository's master key; -PublicKey checks against a key from another
/// source (an evidence package). -Anchor @() checks without anchors.</para>
/// </remarks>
/// <example>
/// <code>Test-ForgeAuditLog -Repository /backup/repo</code>
/// <para>Checks the whole log against every snapshot's recorded head.</para>
/// </example>
/// <example>
/// <code>$v = Test-ForgeAuditLog -Repository /backup/repo; if (-not $v.Passed) { "record $($v.FirstBadSequence): $($v.Reason)" }</code>
/// <para>Reports the first bad record and why.</para>
/// </example>
/// <example>
/// <code>Test-ForgeAuditLog -Repository /backup/repo -Anchor '1200:9b1d5e0c2a7f43d8b6e1f0a9c3d2e5f4a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c'</code>
/// <para>Checks that the log still holds record 1200 as it was when that head was written down.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ForgeAuditLog")]
[OutputType(typeof(AuditVerification))]
public sealed class TestForgeAuditLogCommand : ForgeRepositoryCmdlet
{
    /// <summary>Heads the log must still reach, as 'sequence:hash'; by default every snapshot's recorded audit head; @() for none.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Anchor { get; set; }

    /// <summary>The public key (64 hex digits) the records must be signed with; by default the repository's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PublicKey { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<AuditHead>? anchors = null;
        AuditPublicKey? key = null;
        try
        {
            anchors = Anchor?.Select(AuditHead.Parse).ToList();
            key = PublicKey is null ? null : AuditPublicKey.Parse(PublicKey);
        }
        catch (FormatException ex)
        {
            // Every repository would be checked against the same unusable value.
            ThrowTerminating(new ArgumentException(ex.Message, ex), Anchor is null ? PublicKey : string.Join(", ", Anchor));
        }

        if (TryRunForItem("Verifying audit log", RepositoryLocation, async (repository, _, ct) =>
            {
                using var log = AuditLog.Open(repository);
                var heads = anchors ?? await AuditLog.ReadSnapshotAnchorsAsync(repository, ct).ConfigureAwait(false);
                return await log.VerifyAsync(heads, key, ct).ConfigureAwait(false);
            }, out var result))
        {
            WriteObject(WithRepository(result));
        }
    }
}
