using System.Buffers;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace ForgeOne.Core.Compression;

/// <summary>
/// Compresses chunks and objects with zstd before encryption, storing them raw when compression does not
/// pay, and decompresses them with a hard limit on the output size. The one place that decides whether
/// compressing pays; the envelope (<c>ObjectSealer</c>) uses it too, through <see cref="CompressorPool"/>.
/// </summary>
/// <remarks>
/// <para>The decision, in order (<see cref="TryCompress"/>; <see cref="Compress"/> applies the same):</para>
/// <list type="number">
/// <item><description>Inputs shorter than <see cref="MinimumInputLength"/> (64 bytes, including empty ones) are
/// stored raw without an attempt: zstd's frame and block headers leave them little room to save 1/32.</description></item>
/// <item><description>Inputs longer than <see cref="SampleThreshold"/> are sampled first: four 4 KiB slices
/// spread evenly over the input are compressed together at zstd level 1. If that saves less than 1/32
/// (about 3 %) of the sample, the whole input is stored raw. This costs about 1.5 % of compressing a
/// 1 MiB chunk and rejects random or already-compressed data without compressing it.</description></item>
/// <item><description>Otherwise the input is compressed at <see cref="Level"/> into at most
/// <see cref="GetMaxCompressedLength"/> bytes, <c>length - max(length / 32, 1)</c>. If the frame does not fit,
/// the input is stored raw, so a stored object is never larger than its input and compression is kept only
/// when it saves at least 1/32.</description></item>
/// </list>
/// <para>
/// Each instance owns zstd contexts that are not thread-safe, so neither is this class: create one per
/// worker, or rent one from a <see cref="CompressorPool"/>, and dispose it when done. Contexts are created
/// on first use, so an instance that only decompresses never builds a compressor (creation costs tens of
/// microseconds; a level-3 compression context grows to about 1–2 MiB on first use).
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

    /// <summary>Inputs shorter than this many bytes (64) are stored raw without trying to compress them.</summary>
    public const int MinimumInputLength = 64;

    /// <summary>Inputs longer than this many bytes (64 KiB) are sampled before being compressed.</summary>
    public const int SampleThreshold = 64 * 1024;

    private const int SampleSliceLength = 4 * 1024;
    private const int SampleSliceCount = 4;
    private const int SampleLength = SampleSliceLength * SampleSliceCount;

    private Compressor? _compressor;
    private Compressor? _sampleCompressor;
    private Decompressor? _decompressor;
    private NativeZstdCompressor? _native;
    private NativeZstdCompressor? _nativeSampleCompressor;
    private NativeZstdDecompressor? _nativeDecompressor;
    private byte[]? _sample;
    private byte[]? _sampleOutput;
    private bool _disposed;

    /// <summary>Creates a compressor for one worker.</summary>
    /// <param name="level">The zstd level, <see cref="MinimumLevel"/> to <see cref="MaximumLevel"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside the accepted range.</exception>
    public ChunkCompressor(int level = DefaultLevel)
    {
        ThrowIfLevelOutOfRange(level, nameof(level));
        Level = level;
    }

    /// <summary>The zstd level used for whole inputs.</summary>
    public int Level { get; }

    /// <summary>
    /// The largest zstd frame worth keeping for an input of <paramref name="inputLength"/> bytes:
    /// <c>inputLength - max(inputLength / 32, 1)</c>, or 0 for an empty input. A destination handed to
    /// <see cref="TryCompress"/> must hold at least this many bytes.
    /// </summary>
    /// <param name="inputLength">The length of the input to compress.</param>
    /// <returns>The most bytes a kept frame may take.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputLength"/> is negative.</exception>
    public static int GetMaxCompressedLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return inputLength == 0 ? 0 : inputLength - Math.Max(inputLength / 32, 1);
    }

    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="destination"/> as one zstd frame if the decision
    /// in the remarks says it pays; otherwise writes nothing and returns false, and the caller stores the input raw.
    /// </summary>
    /// <param name="input">The bytes to store.</param>
    /// <param name="destination">
    /// Receives the frame. It must hold at least <see cref="GetMaxCompressedLength"/> bytes; only that many are
    /// ever used, so the caller cannot move the "saves 1/32" threshold by sizing it.
    /// </param>
    /// <param name="written">The frame's length when the method returns true; otherwise 0.</param>
    /// <returns>True when <paramref name="destination"/> holds a frame to store with <see cref="CompressionCodec.Zstd"/>;
    /// false when the input should be stored raw (<see cref="CompressionCodec.None"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than
    /// <see cref="GetMaxCompressedLength"/> of the input's length.</exception>
    /// <exception cref="ObjectDisposedException">The compressor has been disposed.</exception>
    public bool TryCompress(ReadOnlySpan<byte> input, Span<byte> destination, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var limit = GetMaxCompressedLength(input.Length);
        if (destination.Length < limit)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; compressing {input.Length} bytes needs room for {limit}.",
                nameof(destination));
        }

        written = 0;
        if (input.Length < MinimumInputLength || (input.Length > SampleThreshold && !SampleCompresses(input)))
        {
            return false;
        }

        // "Destination too small" is false: the frame would not save 1/32.
        if (TryWrap(ref _native, ref _compressor, Level, input, destination[..limit], out written))
        {
            return true;
        }

        written = 0;
        return false;
    }

    /// <summary>
    /// Writes <paramref name="input"/> to <paramref name="output"/> either as one zstd frame or unchanged,
    /// whichever <see cref="TryCompress"/> picks, and says which.
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
        if (TryCompress(input, output.GetSpan(GetMaxCompressedLength(input.Length)), out var written))
        {
            output.Advance(written);
            return CompressionCodec.Zstd;
        }

        output.Write(input);
        return CompressionCodec.None;
    }

    /// <summary>
    /// How many bytes to set aside for decoding the zstd frame <paramref name="input"/> under a limit: the
    /// length its header declares (or zstd's upper bound when it declares none), never more than
    /// <paramref name="maxOutputLength"/>.
    /// </summary>
    /// <param name="input">A zstd payload (<see cref="CompressionCodec.Zstd"/>).</param>
    /// <param name="maxOutputLength">The most bytes the caller accepts.</param>
    /// <returns>A destination length for <see cref="TryDecompress"/>: if the frame does not decode into that
    /// many bytes, it decodes to more than <paramref name="maxOutputLength"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutputLength"/> is negative.</exception>
    /// <exception cref="InvalidDataException"><paramref name="input"/> is empty or has no valid frame header.</exception>
    public static int GetDecompressedCapacity(ReadOnlySpan<byte> input, int maxOutputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputLength);

        // Never more than the limit: the header is attacker-controlled until the frame has decoded.
        return (int)Math.Min(GetDecompressedBound(input), (ulong)maxOutputLength);
    }

    /// <summary>
    /// Decodes the zstd frame <paramref name="input"/> into <paramref name="destination"/>, whose length is the
    /// limit: decoding stops there, so a small payload cannot make the reader write more (decompression bombs).
    /// </summary>
    /// <param name="input">A zstd payload (<see cref="CompressionCodec.Zstd"/>), already authenticated.</param>
    /// <param name="destination">Receives the original bytes; size it with <see cref="GetDecompressedCapacity"/>
    /// or to the caller's limit.</param>
    /// <param name="written">The decoded length when the method returns true; otherwise 0.</param>
    /// <returns>False exactly when the frame decodes to more than <paramref name="destination"/>.Length bytes;
    /// the contents of <paramref name="destination"/> are then unspecified.</returns>
    /// <exception cref="ObjectDisposedException">The compressor has been disposed.</exception>
    /// <exception cref="InvalidDataException"><paramref name="input"/> is empty, is not a valid zstd frame, or
    /// decodes to more bytes than its header declares.</exception>
    public bool TryDecompress(ReadOnlySpan<byte> input, Span<byte> destination, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfNoFrame(input);
        _nativeDecompressor ??= NativeZstdDecompressor.TryCreate();
        if (_nativeDecompressor is not null)
        {
            if (_nativeDecompressor.TryUnwrap(input, destination, out written))
            {
                return true;
            }
        }
        else
        {
            _decompressor ??= new Decompressor();
            try
            {
                if (_decompressor.TryUnwrap(input, destination, out written))
                {
                    return true;
                }
            }
            catch (ZstdException exception)
            {
                throw CorruptPayload(exception);
            }
        }

        // The bound is exact for frames that declare their size and a true upper bound otherwise, so running
        // out of room below it means the header lies: corruption, not a payload over the caller's limit.
        if (GetDecompressedBound(input) <= (ulong)destination.Length)
        {
            throw new InvalidDataException("The zstd payload decodes to more bytes than its frame header declares.");
        }

        written = 0;
        return false;
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
                var capacity = GetDecompressedCapacity(input, maxOutputLength);
                if (!TryDecompress(input, output.GetSpan(Math.Max(capacity, 1))[..capacity], out var written))
                {
                    throw new InvalidDataException(
                        $"The zstd payload decodes to more than the limit of {maxOutputLength} bytes.");
                }

                output.Advance(written);
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
        _compressor?.Dispose();
        _native?.Dispose();
        _sampleCompressor?.Dispose();
        _nativeSampleCompressor?.Dispose();
        _decompressor?.Dispose();
        _nativeDecompressor?.Dispose();
    }

    /// <summary>The one check of a zstd level, shared with every option type that accepts one.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside
    /// <see cref="MinimumLevel"/> to <see cref="MaximumLevel"/>.</exception>
    internal static void ThrowIfLevelOutOfRange(int level, string paramName)
    {
        if (level is < MinimumLevel or > MaximumLevel)
        {
            throw new ArgumentOutOfRangeException(paramName, level,
                $"The zstd compression level must be between {MinimumLevel} and {MaximumLevel}.");
        }
    }

    /// <summary>The one description of a frame that does not decode, for the managed and the native decoder.</summary>
    internal static InvalidDataException CorruptPayload(Exception decoderError) =>
        new($"The zstd payload is corrupt: {decoderError.Message}", decoderError);

    private static Compressor CreateCompressor(int level)
    {
        var compressor = new Compressor(level);
        try
        {
            // The frame header then always states the original length, which lets readers size their output
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

    private static void ThrowIfNoFrame(ReadOnlySpan<byte> input)
    {
        // zstd accepts zero frames as zero bytes, but a Zstd payload is never empty.
        if (input.IsEmpty)
        {
            throw new InvalidDataException("The zstd payload is empty; it must hold one frame.");
        }
    }

    private static ulong GetDecompressedBound(ReadOnlySpan<byte> input)
    {
        ThrowIfNoFrame(input);
        try
        {
            // Exact when the frame header states the content size (ours always do); an upper bound otherwise.
            return Decompressor.GetDecompressedSize(input);
        }
        catch (ZstdException exception)
        {
            throw new InvalidDataException($"The payload is not a valid zstd frame: {exception.Message}", exception);
        }
    }

    private bool SampleCompresses(ReadOnlySpan<byte> input)
    {
        _sample ??= new byte[SampleLength];
        _sampleOutput ??= new byte[Compressor.GetCompressBound(SampleLength)];
        var sample = _sample.AsSpan();
        var step = (input.Length - SampleSliceLength) / (SampleSliceCount - 1);
        for (var k = 0; k < SampleSliceCount; k++)
        {
            input.Slice(k * step, SampleSliceLength).CopyTo(sample[(k * SampleSliceLength)..]);
        }

        // The output holds zstd's bound, so the frame always fits.
        return TryWrap(ref _nativeSampleCompressor, ref _sampleCompressor, 1, sample, _sampleOutput, out var written)
            && written <= GetMaxCompressedLength(SampleLength);
    }

    // libzstd where it loads (NativeZstdCompressor, which remembers whether it does), the managed port otherwise: the
    // same frames. Each context is made on first use at its level and kept.
    private static bool TryWrap(ref NativeZstdCompressor? native, ref Compressor? managed, int level, ReadOnlySpan<byte> input,
        Span<byte> destination, out int written)
    {
        native ??= NativeZstdCompressor.TryCreate(level);
        if (native is not null)
        {
            return native.TryWrap(input, destination, out written);
        }

        managed ??= CreateCompressor(level);
        return managed.TryWrap(input, destination, out written);
    }
}
