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

    // The content hash as given or, for entries read back (or returned by a writer), computed from the message on first
    // use: most readers of a page never look at it, and hashing every message was a tenth of a query's CPU.
    private string? _contentHash;
    private bool _hashesMessage;

    /// <summary>BLAKE3 of the message's UTF-8 bytes, as lowercase hex; set on entries read back.</summary>
    public string? ContentHash
    {
        get => _contentHash ??= _hashesMessage ? LogCodec.ContentHashOf(Message) : null;
        init
        {
            _contentHash = value;
            _hashesMessage = false;
        }
    }

    /// <summary>The shard the entry is stored in; set on entries read back.</summary>
    public int Shard { get; init; }

    /// <summary>Compares every property, the content hash by value whether or not it was computed yet.</summary>
    /// <param name="other">The other entry.</param>
    /// <returns>True when every property is equal.</returns>
    public bool Equals(LogEntry? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id
                && Topic == other.Topic
                && Timestamp.Equals(other.Timestamp)
                && Severity == other.Severity
                && Message == other.Message
                && EqualityComparer<IReadOnlyDictionary<string, string>>.Default.Equals(Metadata, other.Metadata)
                && Subject == other.Subject
                && EqualityComparer<IReadOnlyList<string>>.Default.Equals(SensitiveFields, other.SensitiveFields)
                && SubjectErased == other.SubjectErased
                && CheckpointMarker == other.CheckpointMarker
                && ContentHash == other.ContentHash
                && Shard == other.Shard));

    /// <summary>A hash of the identifying properties, consistent with <see cref="Equals(LogEntry?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Id, Topic, Timestamp, Severity, Message, Shard);

    /// <summary>The entry, marked to compute <see cref="ContentHash"/> from its message when first asked.</summary>
    /// <returns>A copy whose content hash follows its message.</returns>
    internal LogEntry WithContentHashFromMessage() => this with { HashesMessage = true };

    /// <summary>
    /// Set by the codec on entries read back: <see cref="ContentHash"/> then follows the message. A with-expression
    /// copies the cached hash, so setting this drops it.
    /// </summary>
    internal bool HashesMessage
    {
        init
        {
            _hashesMessage = value;
            _contentHash = null;
        }
    }
}
