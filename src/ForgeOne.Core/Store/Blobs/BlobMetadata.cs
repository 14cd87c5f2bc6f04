namespace ForgeOne.Core.Store.Blobs;

/// <summary>What the store knows about one blob: its name, size, checksum and how it is stored.</summary>
public sealed record BlobMetadata
{
    /// <summary>The time-ordered id given when the blob was added; a new one each time the name is replaced.</summary>
    public long Id { get; init; }

    /// <summary>The blob's name, unique in the store.</summary>
    public required string Name { get; init; }

    /// <summary>The media type given when it was added, for example <c>application/pdf</c>.</summary>
    public string ContentType { get; init; } = BlobAddOptions.DefaultContentType;

    /// <summary>The content's length in bytes.</summary>
    public long Size { get; init; }

    /// <summary>When it was added (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who added it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>BLAKE3 of the whole content, as lowercase hex (what <c>b3sum</c> prints).</summary>
    public required string Checksum { get; init; }

    /// <summary>Always true: every chunk is sealed with AES-256-GCM.</summary>
    public bool Encrypted { get; init; } = true;

    /// <summary>True when zstd made at least one of its chunks smaller as stored.</summary>
    public bool Compressed { get; init; }

    /// <summary>How many content-defined chunks the content was cut into.</summary>
    public int ChunkCount { get; init; }

    /// <summary>Extra fields. Those named in <see cref="SensitiveFields"/> are sealed under the subject's key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The data subject the blob is about, sealed under that subject's key.</summary>
    public string? Subject { get; init; }

    /// <summary>Metadata fields that are personal data, sealed with <see cref="Subject"/>.</summary>
    public IReadOnlyList<string> SensitiveFields { get; init; } = [];

    /// <summary>True when the blob had a subject whose key was removed: its subject and sensitive fields are gone.</summary>
    public bool SubjectErased { get; init; }

    /// <summary>The shard the blob is stored in.</summary>
    public int Shard { get; init; }
}
