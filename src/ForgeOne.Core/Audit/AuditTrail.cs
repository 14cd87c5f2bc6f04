using System.Globalization;
using ForgeOne.Core.Monitoring;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Audit;

/// <summary>
/// The one way Core's operations write to the audit log and raise alerts: every backup, restore, verification,
/// deletion, prune, drill, evidence export, key and policy change appends a record; failed backups, checks and
/// drills also POST an alert when the repository has a webhook (and the delivery is itself recorded).
/// </summary>
/// <remarks>
/// An audit or alert failure never fails the operation it describes, which has already happened: these methods
/// return null instead, and callers that keep warnings (backups) add one. Cancellation is not recorded.
/// </remarks>
public static class AuditTrail
{
    /// <summary>Appends a record, or returns null when the log cannot be written.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="auditEvent">What happened.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The record, or null.</returns>
    public static async Task<AuditRecord?> TryRecordAsync(ForgeRepository repository, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        try
        {
            using var log = AuditLog.Open(repository);
            return await log.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ForgeException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The log's head as a snapshot records it (<c>&lt;sequence&gt;:&lt;hash&gt;</c>), or null when it cannot be read.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The head, or null.</returns>
    public static async Task<string?> TryGetHeadAsync(ForgeRepository repository, CancellationToken cancellationToken)
    {
        try
        {
            using var log = AuditLog.Open(repository);
            return (await log.GetHeadAsync(cancellationToken).ConfigureAwait(false)).ToString();
        }
        catch (Exception ex) when (ex is ForgeException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records a failed operation and sends the matching alert.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="operation">The audit operation, for example <see cref="AuditOperations.Backup"/>.</param>
    /// <param name="alertEvent">The alert event, for example <c>backup.failed</c>.</param>
    /// <param name="target">What it was about.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="parameters">What matters about it (never secrets).</param>
    /// <param name="relatedIds">Snapshot or drill ids.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>A task that completes when both are done (or given up).</returns>
    public static async Task RecordFailureAsync(ForgeRepository repository, string operation, string alertEvent, string target, string error,
        IReadOnlyDictionary<string, string>? parameters, IReadOnlyList<string>? relatedIds, CancellationToken cancellationToken)
    {
        await TryRecordAsync(repository, new AuditEvent
        {
            Operation = operation,
            Target = target,
            Outcome = AuditOutcome.Failed,
            Error = error,
            Parameters = parameters ?? new Dictionary<string, string>(),
            RelatedIds = relatedIds ?? [],
        }, cancellationToken).ConfigureAwait(false);
        await AlertAsync(repository, alertEvent, $"{operation} of {target} failed: {error}", relatedIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends an alert when the repository has a webhook, and records the delivery.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="alertEvent"><c>backup.failed</c>, <c>check.failed</c> or <c>drill.failed</c>.</param>
    /// <param name="summary">One line for a person.</param>
    /// <param name="relatedIds">Ids to pass along.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The delivery, or null when there is no webhook or the settings cannot be read.</returns>
    public static async Task<AlertDelivery?> AlertAsync(ForgeRepository repository, string alertEvent, string summary, IReadOnlyList<string>? relatedIds, CancellationToken cancellationToken)
    {
        AlertDelivery? delivery;
        try
        {
            var details = new Dictionary<string, string>();
            for (var index = 0; index < (relatedIds?.Count ?? 0); index++)
            {
                details["id" + index.ToString(CultureInfo.InvariantCulture)] = relatedIds![index];
            }

            delivery = await new Alerting(repository).NotifyAsync(alertEvent, summary, details, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ForgeException or IOException)
        {
            return null;
        }

        if (delivery is not null)
        {
            await TryRecordAsync(repository, new AuditEvent
            {
                Operation = AuditOperations.AlertDelivery,
                Target = alertEvent,
                Outcome = delivery.Delivered ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                Error = delivery.Error,
                Parameters = new Dictionary<string, string>
                {
                    ["attempts"] = delivery.Attempts.ToString(CultureInfo.InvariantCulture),
                    ["status"] = delivery.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none",
                },
                RelatedIds = relatedIds ?? [],
            }, cancellationToken).ConfigureAwait(false);
        }

        return delivery;
    }
}
