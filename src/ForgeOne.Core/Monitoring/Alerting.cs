using ForgeOne.Core.Audit;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Monitoring;

/// <summary>
/// A repository's alert settings (kept as versions under <c>policy/alerts/</c>) and the one call front ends make
/// when a backup, check or drill fails.
/// </summary>
public sealed class Alerting
{
    /// <summary>Where alert settings versions are kept.</summary>
    public const string Prefix = "policy/alerts/";

    private readonly Repository.Repository _repository;
    private readonly VersionedObjects<AlertSettingsVersion> _versions;

    /// <summary>Wraps an open repository.</summary>
    /// <param name="repository">The repository.</param>
    public Alerting(Repository.Repository repository)
    {
        _repository = repository;
        _versions = new VersionedObjects<AlertSettingsVersion>(repository, Prefix, MonitoringJson.Default.AlertSettingsVersion);
    }

    /// <summary>The settings in force, or null when alerts are off or were never set.</summary>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The settings.</returns>
    public async Task<AlertSettings?> GetAsync(CancellationToken cancellationToken = default) =>
        (await _versions.GetLatestAsync(cancellationToken).ConfigureAwait(false))?.Settings;

    /// <summary>Stores new settings (null turns alerts off).</summary>
    /// <param name="settings">The settings; validated.</param>
    /// <param name="changedBy">Who changes them.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The stored version.</returns>
    public Task<AlertSettingsVersion> SetAsync(AlertSettings? settings, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        settings?.Validate();
        return SetCoreAsync(settings, changedBy, cancellationToken);
    }

    private async Task<AlertSettingsVersion> SetCoreAsync(AlertSettings? settings, string changedBy, CancellationToken cancellationToken)
    {
        var version = await _versions.AddAsync(version => new AlertSettingsVersion { Version = version, Settings = settings, ChangedBy = changedBy, ChangedAt = DateTimeOffset.UtcNow }, cancellationToken).ConfigureAwait(false);
        await AuditTrail.TryRecordAsync(_repository, new AuditEvent
        {
            Operation = AuditOperations.PolicyChange,
            Target = "alert settings",
            Parameters = new Dictionary<string, string>
            {
                // The URL's host only: a webhook URL often carries its own secret token in the path.
                ["webhookHost"] = settings is null ? "off" : new Uri(settings.WebhookUrl).Host,
                ["slack"] = settings?.Slack == true ? "true" : "false",
                ["changedBy"] = changedBy,
            },
        }, cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>Sends an alert when the repository has a webhook; does nothing otherwise.</summary>
    /// <param name="eventName"><c>backup.failed</c>, <c>check.failed</c> or <c>drill.failed</c>.</param>
    /// <param name="summary">One line for a person.</param>
    /// <param name="details">Ids and findings.</param>
    /// <param name="firstRetryDelay">The wait before the second attempt; null for 1 s.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>How the delivery went, or null when no webhook is set.</returns>
    public async Task<AlertDelivery?> NotifyAsync(string eventName, string summary, IReadOnlyDictionary<string, string>? details = null,
        TimeSpan? firstRetryDelay = null, CancellationToken cancellationToken = default)
    {
        var settings = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (settings is null)
        {
            return null;
        }

        var alert = new Alert { Event = eventName, Repository = _repository.Location, Summary = summary, Details = details ?? new Dictionary<string, string>() };
        return await AlertSender.SendAsync(settings, alert, firstRetryDelay, null, cancellationToken).ConfigureAwait(false);
    }
}
