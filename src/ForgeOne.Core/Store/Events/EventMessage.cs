namespace ForgeOne.Core.Store.Events;

/// <summary>
/// One event. Build one with a topic and payload (and optionally the rest) to send it; events read back also
/// carry their id and shard.
/// </summary>
public sealed record EventMessage
{
    /// <summary>The time-ordered id given when the event was written; 0 before that.</summary>
    public long Id { get; init; }

    /// <summary>The topic, for example <c>orders/created</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>When the event happened (UTC, microseconds). Defaults to the time of sending.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>How urgent it is.</summary>
    public EventPriority Priority { get; init; } = EventPriority.Normal;

    /// <summary>The payload, at most 64 KiB of UTF-8 (JSON, typically).</summary>
    public required string Payload { get; init; }

    /// <summary>Extra fields. Those named in <see cref="SensitiveFields"/> are sealed under the subject's key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The data subject this event is about, sealed under that subject's key.</summary>
    public string? Subject { get; init; }

    /// <summary>Metadata fields that are personal data, sealed with <see cref="Subject"/>.</summary>
    public IReadOnlyList<string> SensitiveFields { get; init; } = [];

    /// <summary>True when the event had a subject whose key was removed: its subject and sensitive fields are gone.</summary>
    public bool SubjectErased { get; init; }

    /// <summary>A marker a producer sets on events a consumer may checkpoint at (for example a batch id).</summary>
    public string? CheckpointMarker { get; init; }

    /// <summary>The shard the event is stored in; set on events read back.</summary>
    public int Shard { get; init; }
}
