using System.Buffers;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForgeOne.Core.Compression;

/// <summary>
/// Compresses chunks with zstd before encryption, storing them raw when compression does not pay, and
/// decompresses them with a hard limit on the output size.
/// </summary>
/// <remarks>
/// <para>The decision, in order:</para>
/// <list type="number">
/// <item><description>Empty input is stored raw (<see cref="CompressionCodec.None"/>, zero bytes).</description></item>
/// <item><description>Inputs longer than <see cref="SampleThreshold"/> are sampled first: four 4 KiB slices
/// spread evenly over the input are compressed together at zstd level 1. If that saves less than 1/32
/// (about 3 %) of the sample, the whole input is stored raw. This costs about 1.5 % of compressing a
/// 1 MiB chunk and rejects random or already-compressed data without compressing it.</description></item>
/// <item><description>Otherwise the input is compressed at <see cref="Level"/> into a destination of
/// <c>length - max(length / 32, 1)</c> bytes. If the frame does not fit, the input is stored raw, so a
/// stored object is never larger than its input and compression is kept only when it saves at least 1/32.</description></item>
/// </list>
/// <para>
/// Each instance owns zstd contexts that are not thread-safe, so neither is this class: create one per
/// worker (creation costs a few microseconds; the contexts grow to about 1–2 MiB at level 3 on first use)
/// and dispose it when the worker ends.
/// </para>
/// </remarks>
public sealed class ChunkCompressor : IDisposable
{
    /// <summary>The default zstd level, 3: zstd's own default, a good speed/ratio balance for backups.</summary>
    public const int DefaultLevel = 3;

    /// <summary>The lowest accepted level, 1.</summary>
    public const int MinimumLevel = 1;

    /// <summary>
    /// The highest accepted level, 19. zstd's "ultra" levels 20–22 need windows of up to 128 MiB for a gain
    /// that chunks of a few MiB cannot use.
    /// </summary>
    public const int MaximumLevel = 19;

    /// <summary>Inputs longer than this many bytes (64 KiB) are sampled before being compressed.</summary>
    public const int SampleThreshold = 64 * 1024;

    private const int SampleSliceLength = 4 * 1024;
    private const int SampleSliceCount = 4;
    private const int SampleLength = SampleSliceLength * SampleSliceCount;

    private readonly Compressor _compressor;
    private readonly Compressor _sampleCompressor;
    private readonly Decompressor _decompressor;
    private readonly byte[] _sample = new byte[SampleLength];
    private readonly byte[] _sampleOutput = new byte[Compressor.GetCompressBound(SampleLength)];
    private bool _disposed;

    /// <summary>Creates a compressor for one worker.</summary>
    /// <param name="level">The zstd level, <see cref="MinimumLevel"/> to <see cref="MaximumLevel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside the accepted range.</exception>
    public ChunkCompressor(int level = DefaultLevel)
    {
        if (level is < MinimumLevel or > MaximumLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"The zstd compression level must be between {MinimumLevel} and {MaximumLevel}.");
        }

        Level = level;
        _compressor = CreateCompressor(level);
        _sampleCompressor = CreateCompressor(1);
        _decompressor = new Decompressor();
    }

    /// <summary>The zstd level used for whole inputs.</summary>
    public int Level { get; }

    /// <summary>
    /// Writes <paramref name="input"/> to <paramref name="output"/> either as one zstd frame or unchanged,
    /// whichever the decision in the remarks picks, and says which.
    /// </summary>
    /// <param name="input">The chunk to store.</param>
    /// <param name="output">Receives the stored bytes; never more than <paramref name="input"/>.Length of them.</param>
    /// <returns>The codec to record with the object, needed by <see cref="Decompress"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The compressor has been disposed.</exception>
    public CompressionCodec Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.IsEmpty)
        {
            return CompressionCodec.None;
        }

        if (input.Length <= SampleThreshold || SampleCompresses(input))
        {
            var limit = input.Length - Math.Max(input.Length / 32, 1);
            if (limit > 0 && _compressor.TryWrap(input, output.GetSpan(limit)[..limit], out var written))
            {
                output.Advance(written);
                return CompressionCodec.Zstd;
            }
        }

        output.Write(input);
        return CompressionCodec.None;
    }

    /// <summary>
    /// Decodes a payload written by <see cref="Compress"/>, refusing to produce more than
    /// <paramref name="maxOutputLength"/> bytes.
    /// </summary>
    /// <param name="codec">The codec recorded with the object.</param>
    /// <param name="input">The stored payload (already decrypted and authenticated).</param>
    /// <param name="output">Receives the original bytes.</param>
    /// <param name="maxOutputLength">
    /// The most bytes the payload may decode to, normally the repository's maximum chunk size. Decoding stops
    /// there: a small payload cannot make the reader allocate or write more (decompression bombs).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutputLength"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The compressor has been disposed.</exception>
    /// <exception cref="InvalidDataException">The codec is unknown, the payload is not a valid zstd frame, or it
    /// decodes to more than <paramref name="maxOutputLength"/> bytes. Nothing is advanced in
    /// <paramref name="output"/> then.</exception>
    public void Decompress(CompressionCodec codec, ReadOnlySpan<byte> input, IBufferWriter<byte> output, int maxOutputLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputLength);
        ObjectDisposedException.ThrowIf(_disposed, this);
        switch (codec)
        {
            case CompressionCodec.None:
                if (input.Length > maxOutputLength)
                {
                    throw new InvalidDataException(
                        $"The uncompressed payload is {input.Length} bytes, more than the limit of {maxOutputLength}.");
                }

                output.Write(input);
                return;

            case CompressionCodec.Zstd:
                DecompressZstd(input, output, maxOutputLength);
                return;

            default:
                throw new InvalidDataException(
                    $"The payload uses compression codec {(byte)codec}, which this version does not know.");
        }
    }

    /// <summary>Frees the zstd contexts.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _compressor.Dispose();
        _sampleCompressor.Dispose();
        _decompressor.Dispose();
    }

    private static Compressor CreateCompressor(int level)
    {
        var compressor = new Compressor(level);
        try
        {
            // The frame header then always states the original length, which lets Decompress size its output
            // exactly; integrity comes from the encryption layer, so zstd's own checksum would be redundant.
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 1);
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 0);
            return compressor;
        }
        catch
        {
            compressor.Dispose();
            throw;
        }
    }

    private bool SampleCompresses(ReadOnlySpan<byte> input)
    {
        var sample = _sample.AsSpan();
        var step = (input.Length - SampleSliceLength) / (SampleSliceCount - 1);
        for (var k = 0; k < SampleSliceCount; k++)
        {
            input.Slice(k * step, SampleSliceLength).CopyTo(sample[(k * SampleSliceLength)..]);
        }

        var written = _sampleCompressor.Wrap(sample, _sampleOutput);
        return written <= SampleLength - (SampleLength / 32);
    }

    private void DecompressZstd(ReadOnlySpan<byte> input, IBufferWriter<byte> output, int maxOutputLength)
    {
        // zstd accepts zero frames as zero bytes, but Compress never stores an empty Zstd payload.
        if (input.IsEmpty)
        {
            throw new InvalidDataException("The zstd payload is empty; it must hold one frame.");
        }

        ulong bound;
        try
        {
            // Exact when the frame header states the content size (ours always do); an upper bound otherwise.
            bound = Decompressor.GetDecompressedSize(input);
        }
        catch (ZstdException exception)
        {
            throw new InvalidDataException($"The payload is not a valid zstd frame: {exception.Message}", exception);
        }

        // Never ask for more room than the limit: the header is attacker-controlled until proven otherwise.
        var capacity = (int)Math.Min(bound, (ulong)maxOutputLength);
        var destination = output.GetSpan(Math.Max(capacity, 1))[..capacity];
        int written;
        try
        {
            if (!_decompressor.TryUnwrap(input, destination, out written))
            {
                throw new InvalidDataException(
                    $"The zstd payload decodes to more than the limit of {maxOutputLength} bytes.");
            }
        }
        catch (ZstdException exception)
        {
            throw new InvalidDataException($"The zstd payload is corrupt: {exception.Message}", exception);
        }

        output.Advance(written);
    }
}
