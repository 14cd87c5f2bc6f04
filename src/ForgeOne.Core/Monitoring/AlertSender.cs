using System.Net.Http.Headers;
using System.Text.Json;

namespace ForgeOne.Core.Monitoring;

/// <summary>
/// POSTs alerts to a webhook, retrying with doubling delays on network errors, timeouts, 429 and 5xx answers (a
/// 4xx other than 429 is final: asking again would not help).
/// </summary>
public static class AlertSender
{
    private static readonly HttpClient SharedClient = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Sends one alert.</summary>
    /// <param name="settings">Where and how.</param>
    /// <param name="alert">The alert.</param>
    /// <param name="firstRetryDelay">The wait before the second attempt, doubled each time; null for 1 s.</param>
    /// <param name="client">The HTTP client; null for a shared one with a 10 s timeout.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>How it went; never throws for a failed delivery.</returns>
    public static async Task<AlertDelivery> SendAsync(AlertSettings settings, Alert alert, TimeSpan? firstRetryDelay = null, HttpClient? client = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(alert);
        settings.Validate();
        client ??= SharedClient;
        var body = settings.Slack
            ? JsonSerializer.SerializeToUtf8Bytes(new SlackMessage($":rotating_light: {alert.Summary} ({alert.Event} on {alert.Host}, repository {alert.Repository})"), MonitoringJson.Default.SlackMessage)
            : JsonSerializer.SerializeToUtf8Bytes(alert, MonitoringJson.Default.Alert);
        var delay = firstRetryDelay ?? TimeSpan.FromSeconds(1);
        int? status = null;
        string? error = null;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri(settings.WebhookUrl), content, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new AlertDelivery(true, attempt, status, null);
                }

                error = $"the webhook answered {status} {response.ReasonPhrase}";
                if (status is >= 400 and < 500 and not 429)
                {
                    return new AlertDelivery(false, attempt, status, error);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = null;
                error = ex.Message;
            }

            if (attempt < settings.MaxAttempts)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }

        return new AlertDelivery(false, settings.MaxAttempts, status, error);
    }
}
