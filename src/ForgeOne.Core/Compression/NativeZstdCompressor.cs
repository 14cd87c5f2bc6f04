using ForgeOne.Core.Interop;
using ZstdNet;

namespace ForgeOne.Core.Compression;

/// <summary>
/// zstd compression in the reference C library (libzstd, from the ZstdNet package's native files), the fast path of
/// <see cref="ChunkCompressor"/>; the managed port (ZstdSharp) does the same where libzstd does not load.
/// <see cref="NativeZstdDecompressor"/> is its other half.
/// </summary>
/// <remarks>
/// <para>A first backup spends most of its CPU compressing: with libzstd the benchmark's 256 MiB took 1.04-1.25 s
/// against 1.20-1.47 s, 0.4 s less CPU, for the same repository size (docs/performance.md). Both write standard zstd
/// frames (RFC 8878) with the content size and no checksum, so either reads what the other wrote.</para>
/// <para>Loading is tried once per process; a missing library (a platform the package lacks: linux-musl, 32-bit
/// ARM) is remembered and costs one exception. Not thread-safe, like the compressor it wraps.</para>
/// </remarks>
internal sealed class NativeZstdCompressor : IDisposable
{
    private static readonly Lazy<bool> Loads = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Compressor _compressor;

    private NativeZstdCompressor(int level)
    {
        _compressor = new Compressor(Options(level));
    }

    /// <summary>True when libzstd loaded in this process.</summary>
    internal static bool IsAvailable => Loads.Value;

    /// <summary>A compressor at <paramref name="level"/>, or null when libzstd is not available.</summary>
    /// <param name="level">The zstd level.</param>
    /// <returns>The compressor, or null.</returns>
    internal static NativeZstdCompressor? TryCreate(int level) => Loads.Value ? new NativeZstdCompressor(level) : null;

    /// <summary>Compresses <paramref name="input"/> into one frame, or returns false when the frame does not fit.</summary>
    /// <param name="input">The data.</param>
    /// <param name="destination">Where the frame goes; its length is the most the frame may take.</param>
    /// <param name="written">The frame's length.</param>
    /// <returns>True when the frame fits.</returns>
    internal bool TryWrap(ReadOnlySpan<byte> input, Span<byte> destination, out int written)
    {
        try
        {
            written = _compressor.Wrap(input, destination);
            return true;
        }
        catch (ZstdException)
        {
            // libzstd says "destination too small": the frame would not save what the caller asked for.
            written = 0;
            return false;
        }
    }

    /// <summary>Frees the native context.</summary>
    public void Dispose() => _compressor.Dispose();

    private static CompressionOptions Options(int level) => new(null, new Dictionary<ZSTD_cParameter, int>
    {
        [ZSTD_cParameter.ZSTD_c_contentSizeFlag] = 1,
        [ZSTD_cParameter.ZSTD_c_checksumFlag] = 0,
    }, level);

    private static bool Probe()
    {
        try
        {
            using var compressor = new Compressor(Options(1));
            Span<byte> frame = stackalloc byte[128];
            return compressor.Wrap("probe"u8, frame) > 0;
        }
        catch (Exception ex) when (NativeLibraryFailure.IsUnavailable(ex) || ex is TypeInitializationException)
        {
            // ZstdNet loads libzstd in a static constructor, so a missing library can also arrive wrapped.
            return false;
        }
    }
}
