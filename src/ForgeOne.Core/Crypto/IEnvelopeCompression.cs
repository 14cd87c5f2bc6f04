namespace ForgeOne.Core.Crypto;

/// <summary>
/// The seam through which the envelope compresses plaintext before sealing and decompresses after opening
/// (codec byte 1). Kept internal and minimal so the shared chunk compressor can replace
/// <see cref="EnvelopeCompression"/> without touching the envelope.
/// </summary>
/// <remarks>Implementations must be safe to call from several threads at once.</remarks>
internal interface IEnvelopeCompression
{
    /// <summary>
    /// Compresses <paramref name="source"/> into <paramref name="destination"/>. The caller sizes the
    /// destination to the largest output worth keeping, so "does not fit" means "does not pay".
    /// </summary>
    /// <returns>False when the output would not fit; the caller then stores the plaintext raw.</returns>
    bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written);

    /// <summary>The decompressed length the frame declares or bounds, as a buffer-size hint.</summary>
    /// <exception cref="InvalidDataException"><paramref name="source"/> is not a valid frame.</exception>
    long GetDecompressedLengthHint(ReadOnlySpan<byte> source);

    /// <summary>Decompresses <paramref name="source"/>, never writing past <paramref name="destination"/>.</summary>
    /// <returns>False when the output would exceed <paramref name="destination"/>.</returns>
    /// <exception cref="InvalidDataException"><paramref name="source"/> does not decode.</exception>
    bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written);
}
