using System.Text.Json.Serialization;

namespace ForgeOne.Core.Monitoring;

/// <summary>Source-generated JSON for alerts and alert settings (Core is trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(AlertSettings))]
[JsonSerializable(typeof(AlertSettingsVersion))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class MonitoringJson : JsonSerializerContext
{
}

/// <summary>The Slack-compatible payload: a single text.</summary>
/// <param name="Text">The message.</param>
internal sealed record SlackMessage(string Text);
