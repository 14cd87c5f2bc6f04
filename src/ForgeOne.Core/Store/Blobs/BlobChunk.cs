namespace ForgeOne.Core.Store.Blobs;

/// <summary>One chunk of a blob's content as read back, already checked against its checksum.</summary>
public sealed record BlobChunk
{
    /// <summary>The blob's id.</summary>
    public long BlobId { get; init; }

    /// <summary>The chunk's place in the blob, from 0.</summary>
    public int ChunkIndex { get; init; }

    /// <summary>The chunk's bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>BLAKE3 of <see cref="Data"/>, as lowercase hex.</summary>
    public required string Checksum { get; init; }
}
