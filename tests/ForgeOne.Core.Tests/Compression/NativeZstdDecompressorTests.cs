using System.Text;
using ForgeOne.Core.Compression;
using ZstdSharp;

namespace ForgeOne.Core.Tests.Compression;

public sealed class NativeZstdDecompressorTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => $"GET /api/orders/{i * 7919 % 100000} 200 {i % 1000}ms\n")));

    [Fact]
    public void Frames_of_the_managed_port_decode_with_libzstd()
    {
        // Repositories written where libzstd did not load (ZstdSharp's frames) must restore where it does.
        using var compressor = new Compressor(3);
        var frame = compressor.Wrap(Text).ToArray();
        using var native = NativeZstdDecompressor.TryCreate()!;
        var output = new byte[Text.Length];

        Assert.True(native.TryUnwrap(frame, output, out var written));

        Assert.Equal(Text.Length, written);
        Assert.Equal(Text, output);
    }

    [Fact]
    public void A_frame_larger_than_the_destination_is_refused_not_truncated()
    {
        using var compressor = new Compressor(3);
        var frame = compressor.Wrap(Text).ToArray();
        using var native = NativeZstdDecompressor.TryCreate()!;

        Assert.False(native.TryUnwrap(frame, new byte[Text.Length - 1], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void A_corrupt_frame_is_invalid_data()
    {
        using var compressor = new Compressor(3);
        var frame = compressor.Wrap(Text).ToArray();
        frame[frame.Length / 2] ^= 0xFF;
        frame[(frame.Length / 2) + 1] ^= 0x55;
        using var native = NativeZstdDecompressor.TryCreate()!;

        Assert.Throws<InvalidDataException>(() => native.TryUnwrap(frame, new byte[Text.Length], out _));
    }

    [Fact]
    public void A_frame_without_a_declared_size_decodes_within_the_limit_and_is_refused_past_it()
    {
        // Through the chunk compressor, which picks libzstd here: the limit holds whatever the frame claims.
        using var compressor = new Compressor(3);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_contentSizeFlag, 0);
        var frame = compressor.Wrap(Text).ToArray();
        using var chunks = new ChunkCompressor();
        var capacity = ChunkCompressor.GetDecompressedCapacity(frame, Text.Length - 1);

        Assert.False(chunks.TryDecompress(frame, new byte[capacity], out _));
        Assert.True(chunks.TryDecompress(frame, new byte[Text.Length], out var written));
        Assert.Equal(Text.Length, written);
    }
}
