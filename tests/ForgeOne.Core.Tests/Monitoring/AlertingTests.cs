using System.Text.Json;
using ForgeOne.Core.Monitoring;
using ForgeOne.Core.Tests.Backup;

namespace ForgeOne.Core.Tests.Monitoring;

public sealed class AlertingTests
{
    [Fact]
    public async Task A_failure_alert_is_posted_as_documented_json_after_retrying_server_errors()
    {
        using var webhook = new WebhookListener(500, 503, 200);
        await using var context = await EngineTestContext.CreateAsync();
        var alerting = new Alerting(context.Repository);
        await alerting.SetAsync(new AlertSettings { WebhookUrl = webhook.Url }, "ops");

        var delivery = await alerting.NotifyAsync("drill.failed", "drill 20261124 failed rto", new Dictionary<string, string> { ["snapshot"] = "abc" },
            TimeSpan.FromMilliseconds(10));

        Assert.NotNull(delivery);
        Assert.True(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, webhook.Bodies.Count);
        using var json = JsonDocument.Parse(webhook.Bodies.Last());
        Assert.Equal("drill.failed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal("drill 20261124 failed rto", json.RootElement.GetProperty("summary").GetString());
        Assert.Equal("abc", json.RootElement.GetProperty("details").GetProperty("snapshot").GetString());
        Assert.Equal(context.Repository.Location, json.RootElement.GetProperty("repository").GetString());
    }

    [Fact]
    public async Task A_client_error_is_final_and_reported_not_thrown()
    {
        using var webhook = new WebhookListener(404);

        var delivery = await AlertSender.SendAsync(new AlertSettings { WebhookUrl = webhook.Url }, new Alert { Event = "backup.failed", Repository = "r", Summary = "s" },
            TimeSpan.FromMilliseconds(10));

        Assert.False(delivery.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(404, delivery.StatusCode);
    }

    [Fact]
    public async Task A_slack_payload_is_a_single_text_field()
    {
        using var webhook = new WebhookListener();

        await AlertSender.SendAsync(new AlertSettings { WebhookUrl = webhook.Url, Slack = true }, new Alert { Event = "check.failed", Repository = "/r", Summary = "pack damaged" });

        using var json = JsonDocument.Parse(Assert.Single(webhook.Bodies));
        Assert.Contains("pack damaged", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_webhook_nothing_is_sent_and_settings_keep_their_history()
    {
        await using var context = await EngineTestContext.CreateAsync();
        var alerting = new Alerting(context.Repository);

        Assert.Null(await alerting.NotifyAsync("backup.failed", "x"));
        await alerting.SetAsync(new AlertSettings { WebhookUrl = "https://hooks.example.com/a" }, "ops");
        await alerting.SetAsync(null, "ops");
        Assert.Null(await alerting.GetAsync());
        Assert.Throws<ArgumentException>(() => new AlertSettings { WebhookUrl = "ftp://x" }.Validate());
    }
}
