namespace ForgeOne.Core.Repository;

/// <summary>
/// A pack that has been written, and where each of its blobs is: what <see cref="PackWriter"/> returns, what an index
/// file lists per pack, and what <see cref="MasterIndex.Add"/> takes.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PackResult
{
    /// <summary>Creates the description of a pack.</summary>
    /// <param name="id">The pack's id (BLAKE3 of its bytes).</param>
    /// <param name="length">The pack file's length in bytes, header and trailer included.</param>
    /// <param name="blobs">Its blobs, in pack order; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="blobs"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public PackResult(PackId id, long length, IEnumerable<PackedBlob> blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Id = id;
        Length = length;
        Blobs = Array.AsReadOnly(blobs.ToArray());
    }

    /// <summary>The pack's id; its object name is <see cref="RepositoryPaths.Pack"/>.</summary>
    public PackId Id { get; }

    /// <summary>The pack file's length in bytes, header and trailer included.</summary>
    public long Length { get; }

    /// <summary>The blobs in pack order (ascending offsets).</summary>
    public IReadOnlyList<PackedBlob> Blobs { get; }

    /// <summary>Describes the pack for logs.</summary>
    /// <returns>For example <c>pack 3f2a91c0 (17 blobs, 16777316 bytes)</c>.</returns>
    public override string ToString() => $"pack {Id.ShortId} ({Blobs.Count} blobs, {Length} bytes)";
}
