using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Compression;
using ZstdSharp;

namespace ForgeOne.Core.Tests.Compression;

public sealed class ChunkCompressorTests
{
    private const int MiB = 1024 * 1024;

    [Theory]
    [InlineData(2_000)]
    [InlineData(10_000)]
    [InlineData(MiB)]
    [InlineData(8 * MiB)]
    public void Log_text_round_trips_and_compresses_well(int length)
    {
        var input = LogText(length);
        using var compressor = new ChunkCompressor();

        var (codec, stored) = Compress(compressor, input);

        Assert.Equal(CompressionCodec.Zstd, codec);
        Assert.True(stored.Length < input.Length / 3, $"{input.Length} bytes of log text became {stored.Length}.");
        Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(10_000)]
    [InlineData(ChunkCompressor.SampleThreshold + 1)]
    [InlineData(MiB)]
    [InlineData(8 * MiB)]
    public void Random_data_is_stored_raw_at_no_extra_cost(int length)
    {
        var input = RandomBytes(length, seed: length);
        using var compressor = new ChunkCompressor();

        var (codec, stored) = Compress(compressor, input);

        Assert.Equal(CompressionCodec.None, codec);
        Assert.Equal(input, stored);
        Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
    }

    [Fact]
    public void Already_compressed_data_is_stored_raw()
    {
        using var compressor = new ChunkCompressor();
        var (_, compressedOnce) = Compress(compressor, LogText(4 * MiB));

        var (codec, stored) = Compress(compressor, compressedOnce);

        Assert.Equal(CompressionCodec.None, codec);
        Assert.Equal(compressedOnce.Length, stored.Length);
    }

    [Fact]
    public void Input_that_starts_random_but_is_mostly_text_is_still_compressed()
    {
        // The sample is spread over the whole input, so a random prefix does not decide for the rest.
        var input = RandomBytes(256 * 1024, seed: 1).Concat(LogText(3 * MiB)).ToArray();
        using var compressor = new ChunkCompressor();

        var (codec, stored) = Compress(compressor, input);

        Assert.Equal(CompressionCodec.Zstd, codec);
        Assert.True(stored.Length < input.Length / 2);
        Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
    }

    [Fact]
    public void Empty_input_is_stored_as_nothing_and_restored_as_nothing()
    {
        using var compressor = new ChunkCompressor();

        var (codec, stored) = Compress(compressor, []);

        Assert.Equal(CompressionCodec.None, codec);
        Assert.Empty(stored);
        Assert.Empty(Decompress(compressor, codec, stored, maxOutputLength: 0));
    }

    [Theory]
    [InlineData(ChunkCompressor.MinimumLevel)]
    [InlineData(ChunkCompressor.DefaultLevel)]
    [InlineData(ChunkCompressor.MaximumLevel)]
    public void Every_accepted_level_round_trips(int level)
    {
        var input = LogText(300_000);
        using var compressor = new ChunkCompressor(level);

        var (codec, stored) = Compress(compressor, input);

        Assert.Equal(level, compressor.Level);
        Assert.Equal(CompressionCodec.Zstd, codec);
        Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(22)]
    public void Level_outside_1_to_19_is_rejected(int level)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkCompressor(level));

        Assert.Equal("level", exception.ParamName);
    }

    [Fact]
    public void Default_level_is_3()
    {
        using var compressor = new ChunkCompressor();

        Assert.Equal(3, compressor.Level);
    }

    [Fact]
    public void Payload_that_inflates_past_the_limit_is_refused_without_output()
    {
        var input = new byte[64 * MiB];
        using var compressor = new ChunkCompressor();
        var (codec, stored) = Compress(compressor, input);
        Assert.Equal(CompressionCodec.Zstd, codec);
        Assert.True(stored.Length < 64 * 1024);
        var output = new ArrayBufferWriter<byte>();

        var exception = Assert.Throws<InvalidDataException>(() => compressor.Decompress(codec, stored, output, MiB));

        Assert.Contains("limit", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Limit_equal_to_the_original_length_is_enough_and_one_less_is_not()
    {
        var input = LogText(500_000);
        using var compressor = new ChunkCompressor();
        var (codec, stored) = Compress(compressor, input);

        Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
        Assert.Throws<InvalidDataException>(() => Decompress(compressor, codec, stored, input.Length - 1));
    }

    [Fact]
    public void Frame_without_a_stated_size_is_still_held_to_the_limit()
    {
        // A streaming encoder does not know the length up front, so its frame header omits it.
        var bomb = new MemoryStream();
        using (var encoder = new CompressionStream(bomb, 3, leaveOpen: true))
        {
            encoder.Write(new byte[16 * MiB]);
        }

        using var compressor = new ChunkCompressor();

        Assert.Throws<InvalidDataException>(() => Decompress(compressor, CompressionCodec.Zstd, bomb.ToArray(), MiB));
        Assert.Equal(16 * MiB, Decompress(compressor, CompressionCodec.Zstd, bomb.ToArray(), 16 * MiB).Length);
    }

    [Fact]
    public void Raw_payload_longer_than_the_limit_is_refused()
    {
        using var compressor = new ChunkCompressor();

        Assert.Throws<InvalidDataException>(() => Decompress(compressor, CompressionCodec.None, new byte[101], 100));
    }

    [Fact]
    public void Truncated_or_headless_frames_are_reported_as_invalid_data()
    {
        // A flipped byte inside a frame may decode to other bytes: authenticity is the encryption layer's job.
        var input = LogText(200_000);
        using var compressor = new ChunkCompressor();
        var (codec, stored) = Compress(compressor, input);

        Assert.Throws<InvalidDataException>(() => Decompress(compressor, codec, stored[..^10], input.Length));
        Assert.Throws<InvalidDataException>(() => Decompress(compressor, codec, stored[4..], input.Length));
        Assert.Throws<InvalidDataException>(() => Decompress(compressor, codec, [], input.Length));
    }

    [Fact]
    public void Unknown_codec_is_reported_as_invalid_data()
    {
        using var compressor = new ChunkCompressor();

        var exception = Assert.Throws<InvalidDataException>(
            () => Decompress(compressor, (CompressionCodec)7, [1, 2, 3], 100));

        Assert.Contains("codec 7", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Codec_values_on_disk_are_0_for_none_and_1_for_zstd()
    {
        Assert.Equal(0, (byte)CompressionCodec.None);
        Assert.Equal(1, (byte)CompressionCodec.Zstd);
    }

    [Fact]
    public void Compressor_is_reusable_across_many_inputs()
    {
        using var compressor = new ChunkCompressor();
        for (var i = 0; i < 20; i++)
        {
            var input = i % 2 == 0 ? LogText(100_000 + i) : RandomBytes(100_000 + i, seed: i);
            var (codec, stored) = Compress(compressor, input);
            Assert.Equal(input, Decompress(compressor, codec, stored, input.Length));
        }
    }

    [Fact]
    public void Using_a_disposed_compressor_throws()
    {
        var compressor = new ChunkCompressor();
        compressor.Dispose();
        compressor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Compress(compressor, [1, 2, 3]));
        Assert.Throws<ObjectDisposedException>(() => Decompress(compressor, CompressionCodec.None, [1], 1));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(64, 62)]
    [InlineData(100, 97)]
    [InlineData(MiB, MiB - (MiB / 32))]
    public void A_kept_frame_must_save_at_least_a_32nd_and_one_byte(int inputLength, int maxCompressedLength)
    {
        Assert.Equal(maxCompressedLength, ChunkCompressor.GetMaxCompressedLength(inputLength));
    }

    public static TheoryData<string, int> SpanInputs() => new()
    {
        { "empty", 0 },
        { "zeros", ChunkCompressor.MinimumInputLength - 1 },
        { "zeros", ChunkCompressor.MinimumInputLength },
        { "log", 10_000 },
        { "random", 10_000 },
        { "log", MiB },
        { "random", MiB },
        { "log with random sample slices", MiB },
    };

    [Theory]
    [MemberData(nameof(SpanInputs))]
    public void Span_and_buffer_writer_apis_make_the_same_decision_and_bytes(string kind, int length)
    {
        var input = MakeInput(kind, length);
        using var compressor = new ChunkCompressor();
        var (codec, stored) = Compress(compressor, input);
        var destination = new byte[ChunkCompressor.GetMaxCompressedLength(length)];

        var compressed = compressor.TryCompress(input, destination, out var written);

        Assert.Equal(codec == CompressionCodec.Zstd, compressed);
        Assert.Equal(compressed ? stored : [], destination.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData(ChunkCompressor.MinimumInputLength - 1, false)]
    [InlineData(ChunkCompressor.MinimumInputLength, true)]
    public void Inputs_under_64_bytes_are_not_tried_even_when_they_would_shrink(int length, bool expected)
    {
        using var compressor = new ChunkCompressor();

        Assert.Equal(expected, compressor.TryCompress(new byte[length], new byte[length], out var written));
        Assert.Equal(expected, written > 0);
    }

    [Fact]
    public void Large_input_whose_sample_barely_compresses_is_stored_raw_without_a_full_attempt()
    {
        // Only the four sampled slices are random; compressing the whole input would save almost everything.
        var input = MakeInput("log with random sample slices", MiB);
        using var compressor = new ChunkCompressor();

        Assert.False(compressor.TryCompress(input, new byte[input.Length], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Destination_shorter_than_the_largest_kept_frame_is_refused()
    {
        // Otherwise a caller could quietly demand a bigger saving than the one rule.
        var input = LogText(10_000);
        using var compressor = new ChunkCompressor();

        var exception = Assert.Throws<ArgumentException>(
            () => compressor.TryCompress(input, new byte[ChunkCompressor.GetMaxCompressedLength(input.Length) - 1], out _));

        Assert.Equal("destination", exception.ParamName);
    }

    [Fact]
    public void Span_decompression_fits_the_original_length_and_reports_one_byte_less_as_too_small()
    {
        var input = LogText(500_000);
        using var compressor = new ChunkCompressor();
        var (_, stored) = Compress(compressor, input);
        var destination = new byte[input.Length];

        Assert.True(compressor.TryDecompress(stored, destination, out var written));
        Assert.Equal(input.Length, written);
        Assert.Equal(input, destination);
        Assert.False(compressor.TryDecompress(stored, new byte[input.Length - 1], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Frame_that_decodes_past_its_declared_size_is_invalid_data_not_over_the_limit()
    {
        // The decoder runs out of the room the header asked for; that is a lying header, not a big payload.
        var input = LogText(1000);
        using var compressor = new ChunkCompressor();
        var (_, stored) = Compress(compressor, input);
        var lying = UnderstateContentSize(stored);

        var exception = Assert.Throws<InvalidDataException>(() => Decompress(compressor, CompressionCodec.Zstd, lying, MiB));
        Assert.Contains("declares", exception.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => compressor.TryDecompress(lying, new byte[input.Length - 1], out _));
    }

    [Fact]
    public void Decompressed_capacity_is_the_declared_length_capped_at_the_limit()
    {
        var input = LogText(500_000);
        using var compressor = new ChunkCompressor();
        var (_, stored) = Compress(compressor, input);

        Assert.Equal(input.Length, ChunkCompressor.GetDecompressedCapacity(stored, 8 * MiB));
        Assert.Equal(1000, ChunkCompressor.GetDecompressedCapacity(stored, 1000));
        Assert.Throws<InvalidDataException>(() => ChunkCompressor.GetDecompressedCapacity([], 1000));
        Assert.Throws<InvalidDataException>(() => ChunkCompressor.GetDecompressedCapacity(stored.AsSpan(4), 1000));
    }

    [Fact]
    public void Compressor_that_only_decompresses_round_trips_frames_from_another()
    {
        var input = LogText(200_000);
        using var writer = new ChunkCompressor(ChunkCompressor.MaximumLevel);
        using var reader = new ChunkCompressor(ChunkCompressor.MinimumLevel);
        var (codec, stored) = Compress(writer, input);

        Assert.Equal(input, Decompress(reader, codec, stored, input.Length));
    }

    [Fact]
    public void Using_a_disposed_compressor_through_the_span_api_throws()
    {
        var compressor = new ChunkCompressor();
        compressor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => compressor.TryCompress(new byte[100], new byte[100], out _));
        Assert.Throws<ObjectDisposedException>(() => compressor.TryDecompress([1], new byte[1], out _));
    }

    private static (CompressionCodec Codec, byte[] Stored) Compress(ChunkCompressor compressor, byte[] input)
    {
        var output = new ArrayBufferWriter<byte>();
        var codec = compressor.Compress(input, output);
        return (codec, output.WrittenSpan.ToArray());
    }

    private static byte[] Decompress(ChunkCompressor compressor, CompressionCodec codec, byte[] stored, int maxOutputLength)
    {
        var output = new ArrayBufferWriter<byte>();
        compressor.Decompress(codec, stored, output, maxOutputLength);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Lowers the content size a zstd frame header declares by one (RFC 8878, 3.1.1.1).</summary>
    internal static byte[] UnderstateContentSize(byte[] frame)
    {
        var descriptor = frame[4];
        var singleSegment = (descriptor & 0x20) != 0;
        int[] dictionaryIdSizes = [0, 1, 2, 4];
        int[] contentSizeSizes = [singleSegment ? 1 : 0, 2, 4, 8];
        var sizeLength = contentSizeSizes[descriptor >> 6];
        Assert.Equal(2, sizeLength); // 256 to 65791 bytes, stored as size - 256
        var offset = 5 + (singleSegment ? 0 : 1) + dictionaryIdSizes[descriptor & 3];
        var patched = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(
            patched.AsSpan(offset), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(offset)) - 1));
        return patched;
    }

    private static byte[] MakeInput(string kind, int length)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "zeros":
                return new byte[length];
            case "random":
                return RandomBytes(length, seed: length);
            case "log":
                return LogText(length);
            default:
                // The four 4 KiB slices the sample takes: spread evenly, the first at the start, the last at the end.
                var input = LogText(length);
                var step = (length - 4096) / 3;
                for (var k = 0; k < 4; k++)
                {
                    RandomBytes(4096, seed: k).CopyTo(input, k * step);
                }

                return input;
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Service-log-like lines: repetitive structure with varying numbers, like real logs.</summary>
    internal static byte[] LogText(int length)
    {
        var random = new Random(length);
        string[] levels = ["INFO", "WARN", "DEBUG", "ERROR"];
        string[] messages =
        [
            "request completed", "cache miss for key", "connection opened from", "retrying upload of pack",
            "snapshot saved", "lock renewed by host",
        ];
        var text = new StringBuilder(length + 200);
        var time = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        while (text.Length < length)
        {
            time = time.AddMilliseconds(random.Next(1, 5000));
            text.Append(time.ToString("O", CultureInfo.InvariantCulture))
                .Append(' ').Append(levels[random.Next(levels.Length)])
                .Append(" [worker-").Append(random.Next(8)).Append("] ")
                .Append(messages[random.Next(messages.Length)])
                .Append(" id=").Append(random.Next(100_000))
                .Append(" elapsed_ms=").Append(random.Next(2000)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString())[..length];
    }
}
