using ForgeOne.Core.Compression;

namespace ForgeOne.Core.Crypto;

/// <summary>How an <see cref="ObjectSealer"/> prepares plaintext before encrypting it.</summary>
public sealed class EnvelopeOptions
{
    private readonly int _compressionLevel = DefaultCompressionLevel;

    /// <summary>The zstd level used unless another is set: <see cref="ChunkCompressor.DefaultLevel"/> (3).</summary>
    public const int DefaultCompressionLevel = ChunkCompressor.DefaultLevel;

    /// <summary>Default options: compression on at level 3.</summary>
    public static EnvelopeOptions Default { get; } = new();

    /// <summary>
    /// Whether to compress with zstd before sealing. Even when on, <see cref="ChunkCompressor"/> decides per
    /// object whether it pays: objects under 64 bytes, objects over 64 KiB whose sample barely compresses, and
    /// objects whose frame would not save 1/32 (about 3 %) are stored raw. Turn off for data known to be
    /// incompressible (keys).
    /// </summary>
    public bool Compress { get; init; } = true;

    /// <summary>
    /// zstd compression level, <see cref="ChunkCompressor.MinimumLevel"/> (1, fastest) to
    /// <see cref="ChunkCompressor.MaximumLevel"/> (19, smallest); default 3.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside 1 to 19.</exception>
    public int CompressionLevel
    {
        get => _compressionLevel;
        init
        {
            ChunkCompressor.ThrowIfLevelOutOfRange(value, nameof(value));
            _compressionLevel = value;
        }
    }
}
