using ForgeOne.Core.Audit;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Retention;

namespace ForgeOne.Core.Monitoring;

/// <summary>
/// A repository's health as Prometheus metrics (<c>Export-ForgeMetrics</c>, <c>forge metrics</c>), for
/// node_exporter's textfile collector: backups per source (host and paths), their last size, duration and age,
/// the last drill's RTO, RPO and result, and the repository's size.
/// </summary>
/// <remarks>
/// Names follow Prometheus conventions: a <c>forgeone_</c> prefix, base units in the name (<c>_seconds</c>,
/// <c>_bytes</c>), <c>_total</c> for counters, <c>_timestamp_seconds</c> for Unix times. The file is written whole
/// under a temporary name and renamed, so the collector never reads half of it.
/// </remarks>
public static class RepositoryMetrics
{
    /// <summary>Reads the repository and renders its metrics.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="now">The time ages are measured at.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The exposition text.</returns>
    public static async Task<string> RenderAsync(Repository.Repository repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var damaged = new List<DamagedSnapshot>();
        var snapshots = await SnapshotStore.FindAsync(repository, null, cancellationToken, damaged).ConfigureAwait(false);
        var drills = await DrDrillRunner.ListAsync(repository, cancellationToken).ConfigureAwait(false);
        long packBytes = 0, packs = 0;
        await foreach (var item in repository.Backend.ListAsync(RepositoryPaths.DataPrefix, cancellationToken).ConfigureAwait(false))
        {
            packBytes += item.Length;
            packs++;
        }

        var text = new PrometheusText();
        text.Add("forgeone_repository_size_bytes", "gauge", "Bytes of pack files in the repository.", packBytes);
        text.Add("forgeone_repository_packs", "gauge", "Pack files in the repository.", packs);
        text.Add("forgeone_repository_snapshots", "gauge", "Snapshots in the repository that read.", snapshots.Count);
        text.Add("forgeone_repository_damaged_snapshots", "gauge", "Snapshot objects that do not read.", damaged.Count);
        foreach (var source in snapshots.GroupBy(snapshot => RetentionPlanner.GroupKey(snapshot, SnapshotGrouping.Host | SnapshotGrouping.Paths)).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var last = source.MaxBy(snapshot => snapshot.EndTime)!;
            var labels = new[] { ("host", last.Host), ("paths", string.Join(',', last.Paths)) };
            text.Add("forgeone_backup_snapshots", "gauge", "Snapshots kept, per source.", source.Count(), labels);
            text.Add("forgeone_backup_last_success_timestamp_seconds", "gauge", "End time of the newest backup, per source.", last.EndTime.ToUnixTimeMilliseconds() / 1000.0, labels);
            text.Add("forgeone_backup_last_age_seconds", "gauge", "Age of the newest backup, per source.", Math.Max(0, (now - last.EndTime).TotalSeconds), labels);
            text.Add("forgeone_backup_last_duration_seconds", "gauge", "Duration of the newest backup, per source.", last.Duration.TotalSeconds, labels);
            text.Add("forgeone_backup_last_size_bytes", "gauge", "Logical bytes of the newest backup, per source.", last.LogicalBytes, labels);
            text.Add("forgeone_backup_last_added_bytes", "gauge", "New bytes the newest backup added, per source.", last.AddedBytes, labels);
            text.Add("forgeone_backup_last_warnings", "gauge", "Warnings of the newest backup, per source.", last.Warnings.Count, labels);
        }

        // Totals and the last verification come from the audit log, which keeps failures too (snapshots only show successes).
        var backups = new Dictionary<string, (long Succeeded, long Failed)>(StringComparer.Ordinal);
        AuditRecord? lastVerification = null;
        try
        {
            using var log = AuditLog.Open(repository);
            await foreach (var record in log.QueryAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (record.Operation == AuditOperations.Backup)
                {
                    var host = record.Parameters.GetValueOrDefault("host") ?? record.Actor.Host;
                    var counts = backups.GetValueOrDefault(host);
                    backups[host] = record.Outcome == AuditOutcome.Succeeded ? (counts.Succeeded + 1, counts.Failed) : (counts.Succeeded, counts.Failed + 1);
                }
                else if (record.Operation == AuditOperations.Verify)
                {
                    lastVerification = record;
                }
            }
        }
        catch (ForgeException)
        {
            // An unreadable log leaves these series out; Test-ForgeAuditLog says why.
        }

        foreach (var (host, (succeeded, failed)) in backups.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Add("forgeone_backup_success_total", "counter", "Backups that committed, per host (from the audit log).", succeeded, ("host", host));
            text.Add("forgeone_backup_failure_total", "counter", "Backups that failed, per host (from the audit log).", failed, ("host", host));
        }

        if (lastVerification is not null)
        {
            text.Add("forgeone_verification_last_success", "gauge", "1 when the newest check or snapshot verification passed, else 0.", lastVerification.Outcome == AuditOutcome.Succeeded ? 1 : 0);
            text.Add("forgeone_verification_last_timestamp_seconds", "gauge", "When the newest check or snapshot verification ran.", lastVerification.Time.ToUnixTimeMilliseconds() / 1000.0);
        }

        text.Add("forgeone_drill_total", "counter", "Disaster-recovery drills run.", drills.Count);
        text.Add("forgeone_drill_failure_total", "counter", "Disaster-recovery drills that failed a check.", drills.Count(drill => !drill.Passed));
        if (drills.Count > 0)
        {
            var last = drills.MaxBy(drill => drill.Time)!;
            text.Add("forgeone_drill_last_success", "gauge", "1 when the newest drill passed every check, else 0.", last.Passed ? 1 : 0);
            text.Add("forgeone_drill_last_timestamp_seconds", "gauge", "When the newest drill ran.", last.Time.ToUnixTimeMilliseconds() / 1000.0);
            text.Add("forgeone_drill_last_rto_seconds", "gauge", "Recovery time the newest drill measured.", last.Rto.TotalSeconds);
            text.Add("forgeone_drill_last_rpo_seconds", "gauge", "Recovery point (snapshot age) at the newest drill.", last.Rpo.TotalSeconds);
            if (last.RtoObjective is { } rto)
            {
                text.Add("forgeone_drill_rto_objective_seconds", "gauge", "The newest drill's recovery time objective.", rto.TotalSeconds);
            }

            if (last.RpoObjective is { } rpo)
            {
                text.Add("forgeone_drill_rpo_objective_seconds", "gauge", "The newest drill's recovery point objective.", rpo.TotalSeconds);
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the metrics to <paramref name="path"/> atomically (temporary name, then rename).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="path">The textfile, for example <c>/var/lib/node_exporter/textfile/forgeone.prom</c>.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The text written.</returns>
    public static async Task<string> WriteAsync(Repository.Repository repository, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = await RenderAsync(repository, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return text;
    }
}
