using System.CommandLine;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Audit;

namespace ForgeOne.Cli.Commands;

/// <summary><c>forge audit list|verify</c>: read the repository's signed audit log and check its chain.</summary>
internal static class AuditCommand
{
    internal static Command Create() =>
        new("audit", "Read the repository's signed, hash-chained audit log (SIEM-ready JSON lines) and verify it.") { ListCommand(), VerifyCommand() };

    private static Command ListCommand()
    {
        var options = new RepositoryOptions();
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only records at or after this time (ISO 8601, for example 2026-11-01T00:00:00Z)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only records before this time (ISO 8601)." };
        var operation = new Option<string?>("--operation") { Description = "Only this operation, for example backup.create, snapshot.delete, prune, policy.change." };
        var actor = new Option<string?>("--actor") { Description = "Only records by this user, or user@host." };
        var outcome = new Option<AuditOutcome?>("--outcome") { Description = "Only records with this outcome: succeeded, failed or denied." };
        var command = options.AddTo(new Command("list", "Print audit records in sequence order. With --json, one record per line exactly as stored (JSON Lines, each with its hash and signature), for a SIEM.")
        {
            from, to, operation, actor, outcome,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            using var log = AuditLog.Open(repository);
            var query = new AuditQuery
            {
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Operation = parse.GetValue(operation),
                Actor = parse.GetValue(actor),
                Outcome = parse.GetValue(outcome),
            };
            var writer = parse.InvocationConfiguration.Output;
            var json = parse.GetValue(options.Json);
            long count = 0;
            await foreach (var record in log.QueryAsync(query, ct).ConfigureAwait(false))
            {
                count++;
                await writer.WriteAsync(json
                    ? Encoding.UTF8.GetString(AuditJsonLines.ToLine(record))
                    : string.Create(CultureInfo.InvariantCulture, $"{record.Sequence,6}  {record.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {record.Actor.User}@{record.Actor.Host}  {record.Operation}  {Outcome(record.Outcome)}  {record.Target}{(record.Error is { } error ? "  error: " + error.ReplaceLineEndings(" ") : "")}\n")).ConfigureAwait(false);
            }

            if (!json)
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{count} record(s)")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command VerifyCommand()
    {
        var options = new RepositoryOptions();
        var anchors = new Option<string[]>("--anchor") { Description = "A head kept earlier, <sequence>:<hash> (repeatable); the log must still reach it with that hash. Default: every snapshot's audit head.", AllowMultipleArgumentsPerToken = false };
        anchors.Validators.Add(result =>
        {
            foreach (var text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!AuditHead.TryParse(text, out _))
                {
                    result.AddError($"--anchor '{text}' is not an audit head: <sequence>:<64 lower-case hex digits>, as a snapshot's auditHead.");
                }
            }
        });
        var publicKey = new Option<string?>("--public-key") { Description = "The public key (64 hex digits) records must be signed with; default the key derived from the repository's master key." };
        publicKey.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (!AuditPublicKey.TryParse(text, out _))
            {
                result.AddError($"--public-key '{text}' is not an audit public key (64 hex digits).");
            }
        });
        var command = options.AddTo(new Command("verify", "Verify the whole audit log: every record authentic, signed, in gapless order and chained, every anchor reached. Exit 3 with the first bad sequence number when not.")
        {
            anchors, publicKey,
        });
        command.SetAction((parse, ct) => CliErrors.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            await using var repository = await options.OpenAsync(parse, ct).ConfigureAwait(false);
            using var log = AuditLog.Open(repository);
            var given = parse.GetValue(anchors) ?? [];
            IReadOnlyList<AuditHead> heads = given.Length > 0
                ? [.. given.Select(AuditHead.Parse)]
                : await AuditLog.ReadSnapshotAnchorsAsync(repository, ct).ConfigureAwait(false);
            var trusted = parse.GetValue(publicKey) is { } hex ? AuditPublicKey.Parse(hex) : null;
            var result = await log.VerifyAsync(heads, trusted, ct).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                await Output.WriteJsonAsync(parse, result).ConfigureAwait(false);
            }
            else if (result.Passed)
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"audit log verified: {result.RecordsChecked} records, head {result.Head}, {heads.Count} anchor(s), public key {result.TrustedKey}")).ConfigureAwait(false);
            }
            else
            {
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture,
                    $"audit log FAILED at sequence {(result.FirstBadSequence is { } bad ? bad.ToString(CultureInfo.InvariantCulture) : "-")} ({Reason(result.Reason)}): {result.Message}")).ConfigureAwait(false);
                await Output.LineAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{result.RecordsChecked} good record(s) before it; last good head {result.Head}")).ConfigureAwait(false);
            }

            return result.Passed ? ExitCodes.Success : ExitCodes.DamageFound;
        }));
        return command;
    }

    private static string Outcome(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Succeeded => "succeeded",
        AuditOutcome.Failed => "failed",
        AuditOutcome.Denied => "denied",
        _ => outcome.ToString(),
    };

    private static string Reason(AuditFailureReason reason) => reason switch
    {
        AuditFailureReason.Modified => "modified",
        AuditFailureReason.Removed => "removed",
        AuditFailureReason.Reordered => "reordered",
        AuditFailureReason.BadSignature => "bad signature",
        AuditFailureReason.Truncated => "truncated",
        AuditFailureReason.KeyMismatch => "key mismatch",
        _ => reason.ToString(),
    };
}
