using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// Compresses and seals blob plaintext for a pack: an envelope of kind <see cref="ObjectKind.Chunk"/> (data) or
/// <see cref="ObjectKind.Tree"/> (tree), id = the blob's 32-byte id, under the repository's data encryption key, with
/// zstd at the repository's level when it pays. Get it from <see cref="Repository.BlobSealer"/>.
/// </summary>
/// <remarks>
/// <para>A thin layer over the repository's <see cref="ObjectSealer"/>, which decides compression
/// (<see cref="Compression.ChunkCompressor.TryCompress"/>: skipped under 64 bytes, sampled above 64 KiB, kept only when
/// it saves 1/32), so one rule applies everywhere.</para>
/// <para><b>Thread-safety:</b> any number of pipeline workers may seal at once. It stops working (with
/// <see cref="ObjectDisposedException"/>) when its repository is disposed.</para>
/// </remarks>
public sealed class BlobSealer
{
    private readonly ObjectSealer _sealer;

    internal BlobSealer(ObjectSealer sealer)
    {
        _sealer = sealer;
    }

    /// <summary>The destination size <see cref="Seal(BlobType, BlobId, ReadOnlySpan{byte}, Span{byte})"/> needs.</summary>
    /// <param name="plaintextLength">The blob's plaintext length.</param>
    /// <returns><paramref name="plaintextLength"/> + 47; compression only ever makes the result shorter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or too large to seal.</exception>
    public static int GetMaxSealedLength(int plaintextLength) => Envelope.GetMaxSealedLength(plaintextLength);

    /// <summary>Seals a blob into <paramref name="destination"/> without allocating (for pooled buffers).</summary>
    /// <param name="type">The blob's type; selects the envelope kind.</param>
    /// <param name="id">The blob's id, from <see cref="Repository.ComputeBlobId"/>; bound into the envelope.</param>
    /// <param name="plaintext">The blob's bytes; must not overlap <paramref name="destination"/>.</param>
    /// <param name="destination">At least <see cref="GetMaxSealedLength"/> bytes.</param>
    /// <returns>The sealed length written to the start of <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or overlaps.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public int Seal(BlobType type, BlobId id, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> idBytes = stackalloc byte[BlobId.Size];
        id.CopyTo(idBytes);
        return _sealer.Seal(PackFormat.KindOf(type), idBytes, plaintext, destination);
    }

    /// <summary>Seals a blob into a new array.</summary>
    /// <param name="type">The blob's type; selects the envelope kind.</param>
    /// <param name="id">The blob's id, from <see cref="Repository.ComputeBlobId"/>.</param>
    /// <param name="plaintext">The blob's bytes.</param>
    /// <returns>The sealed blob.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public byte[] Seal(BlobType type, BlobId id, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> idBytes = stackalloc byte[BlobId.Size];
        id.CopyTo(idBytes);
        return _sealer.Seal(PackFormat.KindOf(type), idBytes, plaintext);
    }
}
