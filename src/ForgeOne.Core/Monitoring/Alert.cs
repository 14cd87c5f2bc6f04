namespace ForgeOne.Core.Monitoring;

/// <summary>
/// A failure worth waking someone for, as POSTed to the webhook. JSON fields (camelCase): <c>event</c>
/// (<c>backup.failed</c>, <c>check.failed</c>, <c>drill.failed</c>), <c>severity</c>, <c>repository</c>, <c>host</c>,
/// <c>time</c> (UTC ISO-8601), <c>summary</c>, <c>details</c> (string map).
/// </summary>
public sealed record Alert
{
    /// <summary>What failed: <c>backup.failed</c>, <c>check.failed</c> or <c>drill.failed</c>.</summary>
    public required string Event { get; init; }

    /// <summary><c>critical</c> or <c>warning</c>.</summary>
    public string Severity { get; init; } = "critical";

    /// <summary>The repository's location.</summary>
    public required string Repository { get; init; }

    /// <summary>The host that saw the failure.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>When (UTC).</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>One line for a person.</summary>
    public required string Summary { get; init; }

    /// <summary>Details such as the snapshot id or the failed checks.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
