namespace ForgeOne.Core.Store.Logs;

/// <summary>
/// One log entry. Build one with a topic and message (and optionally the rest) to write it; entries read back
/// also carry their id, shard and content hash.
/// </summary>
public sealed record LogEntry
{
    /// <summary>The time-ordered id given when the entry was written; 0 before that.</summary>
    public long Id { get; init; }

    /// <summary>The topic, for example <c>app/auth</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>When the logged event happened (UTC, microseconds). Defaults to the time of writing.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>How serious it is.</summary>
    public LogSeverity Severity { get; init; } = LogSeverity.Information;

    /// <summary>The message text.</summary>
    public required string Message { get; init; }

    /// <summary>Extra fields. Those named in <see cref="SensitiveFields"/> are sealed under the subject's key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The data subject this entry is about (a user id, an email address), sealed under that subject's key.</summary>
    public string? Subject { get; init; }

    /// <summary>Metadata fields that are personal data, sealed with <see cref="Subject"/>.</summary>
    public IReadOnlyList<string> SensitiveFields { get; init; } = [];

    /// <summary>True when the entry had a subject whose key was removed: its subject and sensitive fields are gone.</summary>
    public bool SubjectErased { get; init; }

    /// <summary>A marker a producer sets on entries a consumer may checkpoint at (for example a batch id).</summary>
    public string? CheckpointMarker { get; init; }

    /// <summary>BLAKE3 of the message's UTF-8 bytes, as lowercase hex; set on entries read back.</summary>
    public string? ContentHash { get; init; }

    /// <summary>The shard the entry is stored in; set on entries read back.</summary>
    public int Shard { get; init; }
}
