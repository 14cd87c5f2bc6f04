using ZstdNet;

namespace ForgeOne.Core.Compression;

/// <summary>
/// zstd decompression in the reference C library (libzstd), the fast path of <see cref="ChunkCompressor.TryDecompress"/>
/// where <see cref="NativeZstdCompressor.IsAvailable"/>; the managed port decodes the same frames elsewhere.
/// </summary>
/// <remarks>
/// A restore decodes every compressed chunk it writes: with the managed port that was the largest piece of its user CPU
/// (8 % of a 1 GiB restore's samples, plus the JIT compiling the port, which is not precompiled; docs/performance.md).
/// Frames are authenticated before they get here, so libzstd only ever sees what a key holder sealed. Not thread-safe,
/// like the context it wraps.
/// </remarks>
internal sealed class NativeZstdDecompressor : IDisposable
{
    private readonly Decompressor _decompressor = new();

    /// <summary>A decompressor, or null when libzstd is not available.</summary>
    /// <returns>The decompressor, or null.</returns>
    internal static NativeZstdDecompressor? TryCreate() => NativeZstdCompressor.IsAvailable ? new NativeZstdDecompressor() : null;

    /// <summary>Decodes one frame into <paramref name="destination"/>, or returns false when it decodes to more.</summary>
    /// <param name="input">One zstd frame.</param>
    /// <param name="destination">Where the bytes go; its length is the limit.</param>
    /// <param name="written">The decoded length.</param>
    /// <returns>True when the frame fits.</returns>
    /// <exception cref="InvalidDataException">The frame is corrupt.</exception>
    internal bool TryUnwrap(ReadOnlySpan<byte> input, Span<byte> destination, out int written)
    {
        try
        {
            // No precheck of the declared size: libzstd itself stops at the destination's end and says so.
            written = _decompressor.Unwrap(input, destination, bufferSizePrecheck: false);
            return true;
        }
        catch (ZstdException ex) when (ex.Code == ZSTD_ErrorCode.ZSTD_error_dstSize_tooSmall)
        {
            written = 0;
            return false;
        }
        catch (ZstdException ex)
        {
            throw ChunkCompressor.CorruptPayload(ex);
        }
    }

    /// <summary>Frees the native context.</summary>
    public void Dispose() => _decompressor.Dispose();
}
