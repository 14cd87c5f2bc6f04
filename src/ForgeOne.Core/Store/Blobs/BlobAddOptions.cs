namespace ForgeOne.Core.Store.Blobs;

/// <summary>What to record about a blob besides its content.</summary>
public sealed record BlobAddOptions
{
    /// <summary>The content type used when none is given: <c>application/octet-stream</c>.</summary>
    public const string DefaultContentType = "application/octet-stream";

    /// <summary>The media type; null for <see cref="DefaultContentType"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Who adds it; null for the current user's name.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Extra fields (the same rules as log and event metadata).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The data subject the blob is about, sealed under that subject's key.</summary>
    public string? Subject { get; init; }

    /// <summary>Metadata fields that are personal data, sealed with <see cref="Subject"/>.</summary>
    public IReadOnlyList<string> SensitiveFields { get; init; } = [];
}
