namespace ForgeOne.Core.Repository;

/// <summary>
/// A pack's decrypted and validated header: which blobs the pack holds and where (see docs/design.md, "Pack files").
/// Read with <see cref="Repository.ReadPackHeaderAsync"/>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PackHeader
{
    internal PackHeader(PackId packId, long packLength, int headerLength, PackedBlob[] blobs)
    {
        PackId = packId;
        PackLength = packLength;
        HeaderLength = headerLength;
        Blobs = Array.AsReadOnly(blobs);
    }

    /// <summary>The pack's id.</summary>
    public PackId PackId { get; }

    /// <summary>The pack file's length in bytes.</summary>
    public long PackLength { get; }

    /// <summary>Length of the sealed header in bytes (the value of the pack's last 4 bytes).</summary>
    public int HeaderLength { get; }

    /// <summary>The blobs in pack order, with offsets computed from the lengths (blobs are contiguous from 0).</summary>
    public IReadOnlyList<PackedBlob> Blobs { get; }

    /// <summary>The same information as a <see cref="PackResult"/>, for example to rebuild an index from packs.</summary>
    /// <returns>A new pack result.</returns>
    public PackResult ToPackResult() => new(PackId, PackLength, Blobs);
}
