using System.Management.Automation;
using ForgeOne.Core.Monitoring;

namespace ForgeOne.Commands;

/// <summary>Sets the webhook a repository's failure alerts are POSTed to, or turns alerts off.</summary>
/// <remarks>
/// Set-ForgeAlert stores the alert settings in the repository, so every machine and runbook that uses it alerts the
/// same way: a failed backup, a failed check or a failed drill POSTs a JSON alert (event, severity, repository, host,
/// time, summary, details) to -WebhookUrl, retrying up to -MaxAttempts times (default 4) with growing waits. -Slack
/// sends a Slack-compatible payload ({"text": ...}) instead, for Slack, Teams or Mattermost incoming webhooks.
/// -Disable turns alerts off. Every change is kept as a new version with who made it and when; the output is that
/// version (AlertSettingsVersion, whose Settings is empty when alerts are off).
/// </remarks>
/// <example>
/// <code>Set-ForgeAlert -Repository /backup/repo -WebhookUrl https://alerts.example.com/forgeone</code>
/// <para>Sends failure alerts as ForgeOne JSON to the alerting service.</para>
/// </example>
/// <example>
/// <code>Set-ForgeAlert -Repository /backup/repo -WebhookUrl https://hooks.slack.com/services/T000/B000/XXXX -Slack -MaxAttempts 6</code>
/// <para>Posts failure alerts to a Slack channel, trying up to six times.</para>
/// </example>
/// <example>
/// <code>Set-ForgeAlert -Repository /backup/repo -Disable</code>
/// <para>Turns alerts off.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "ForgeAlert", DefaultParameterSetName = WebhookSet, SupportsShouldProcess = true)]
[OutputType(typeof(AlertSettingsVersion))]
public sealed class SetForgeAlertCommand : ForgeRepositoryCmdlet
{
    private const string WebhookSet = "Webhook";
    private const string DisableSet = "Disable";

    /// <summary>The http or https URL alerts are POSTed to.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = WebhookSet)]
    [ValidateNotNullOrEmpty]
    public string WebhookUrl { get; set; } = "";

    /// <summary>Send a Slack-compatible payload ({"text": ...}) instead of ForgeOne's JSON.</summary>
    [Parameter(ParameterSetName = WebhookSet)]
    public SwitchParameter Slack { get; set; }

    /// <summary>Attempts before giving up on an alert, 1 to 10; default 4.</summary>
    [Parameter(ParameterSetName = WebhookSet)]
    [ValidateRange(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Turn alerts off.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DisableSet)]
    public SwitchParameter Disable { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        AlertSettings? settings = null;
        if (!Disable)
        {
            try
            {
                settings = new AlertSettings { WebhookUrl = WebhookUrl, Slack = Slack, MaxAttempts = MaxAttempts }.Validate();
            }
            catch (ArgumentException ex)
            {
                ThrowTerminating(ex, WebhookUrl);
            }
        }

        var location = RepositoryLocation;
        if (ShouldProcess(location, settings is null ? "Turn failure alerts off" : $"Send failure alerts to {settings.WebhookUrl}")
            && TryRunForItem("Setting alerts", location, (repository, _, ct) => new Alerting(repository).SetAsync(settings, Environment.UserName, ct), out var version))
        {
            WriteObject(version);
        }
    }
}
