namespace ForgeOne.Core.Monitoring;

/// <summary>Where a repository's failure alerts go (<c>Set-ForgeAlert</c>), stored in the repository.</summary>
public sealed record AlertSettings
{
    /// <summary>The webhook URL the alert is POSTed to (http or https).</summary>
    public required string WebhookUrl { get; init; }

    /// <summary>Send a Slack-compatible payload (<c>{"text": …}</c>) instead of ForgeOne's JSON.</summary>
    public bool Slack { get; init; }

    /// <summary>Attempts before giving up, 1 to 10; default 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Checks the URL and the attempts.</summary>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The URL is not http(s) or the attempts are out of range.</exception>
    public AlertSettings Validate() =>
        !Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? throw new ArgumentException($"'{WebhookUrl}' is not an http or https URL; give the webhook's full URL.", nameof(WebhookUrl))
            : MaxAttempts is < 1 or > 10
                ? throw new ArgumentException("MaxAttempts is 1 to 10.", nameof(MaxAttempts))
                : this;
}
