namespace ForgeOne.Core.Crypto;

/// <summary>How an <see cref="ObjectSealer"/> prepares plaintext before encrypting it.</summary>
public sealed class EnvelopeOptions
{
    private readonly int _compressionLevel = DefaultCompressionLevel;

    /// <summary>The zstd level used unless another is set: 3, zstd's own default balance of speed and ratio.</summary>
    public const int DefaultCompressionLevel = 3;

    /// <summary>Default options: compression on at level 3.</summary>
    public static EnvelopeOptions Default { get; } = new();

    /// <summary>
    /// Whether to try zstd before sealing. Even when on, an object is stored raw if compression saves less
    /// than 3 % or the object is under 64 bytes. Turn off for data known to be incompressible (keys).
    /// </summary>
    public bool Compress { get; init; } = true;

    /// <summary>zstd compression level, 1 (fastest) to 22 (smallest); default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside 1 to 22.</exception>
    public int CompressionLevel
    {
        get => _compressionLevel;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 22);
            _compressionLevel = value;
        }
    }
}
