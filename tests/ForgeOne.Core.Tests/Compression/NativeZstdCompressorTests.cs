using System.Text;
using ForgeOne.Core.Compression;
using ZstdSharp;

namespace ForgeOne.Core.Tests.Compression;

public sealed class NativeZstdCompressorTests
{
    [Fact]
    public void Libzstd_loads_in_the_test_process()
    {
        // The fast path; if packaging drops libzstd, chunks are still compressed, only slower, and this catches it.
        Assert.True(NativeZstdCompressor.IsAvailable);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void Libzstd_frames_open_with_the_managed_port_and_state_their_size(int level)
    {
        var input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"GET /api/orders/{i * 7919 % 100000} 200 {i % 1000}ms\n")));
        using var native = NativeZstdCompressor.TryCreate(level)!;
        var frame = new byte[input.Length];

        Assert.True(native.TryWrap(input, frame, out var written));

        Assert.InRange(written, 1, input.Length / 3);
        Assert.Equal((ulong)input.Length, Decompressor.GetDecompressedSize(frame.AsSpan(0, written)));
        using var decompressor = new Decompressor();
        Assert.Equal(input, decompressor.Unwrap(frame.AsSpan(0, written)).ToArray());
    }

    [Fact]
    public void A_frame_that_does_not_fit_is_refused_not_truncated()
    {
        var random = new byte[100_000];
        new Random(7).NextBytes(random);
        using var native = NativeZstdCompressor.TryCreate(3)!;

        Assert.False(native.TryWrap(random, new byte[random.Length / 2], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Chunk_compressor_output_matches_what_the_managed_port_would_restore()
    {
        var input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"user=u{i % 977} action=login ok\n")));
        using var compressor = new ChunkCompressor();
        var destination = new byte[ChunkCompressor.GetMaxCompressedLength(input.Length)];

        Assert.True(compressor.TryCompress(input, destination, out var written));

        var restored = new byte[input.Length];
        Assert.True(compressor.TryDecompress(destination.AsSpan(0, written), restored, out var length));
        Assert.Equal(input, restored.AsSpan(0, length).ToArray());
    }
}
