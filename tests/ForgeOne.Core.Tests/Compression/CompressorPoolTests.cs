using ForgeOne.Core.Compression;

namespace ForgeOne.Core.Tests.Compression;

public sealed class CompressorPoolTests
{
    [Fact]
    public void Returned_compressor_is_lent_again()
    {
        using var pool = new CompressorPool();
        var first = pool.Rent();
        pool.Return(first);

        var second = pool.Rent();

        Assert.Same(first, second);
        pool.Return(second);
    }

    [Fact]
    public void Lent_compressors_use_the_pools_level()
    {
        using var pool = new CompressorPool(7);
        var compressor = pool.Rent();

        Assert.Equal(7, pool.Level);
        Assert.Equal(7, compressor.Level);
        pool.Return(compressor);
    }

    [Fact]
    public void Renting_when_none_is_idle_creates_another()
    {
        using var pool = new CompressorPool(ChunkCompressor.DefaultLevel, maxRetained: 2);
        var first = pool.Rent();
        var second = pool.Rent();

        Assert.NotSame(first, second);
        pool.Return(first);
        pool.Return(second);
        Assert.Equal(2, pool.IdleCount);
    }

    [Fact]
    public void Returns_beyond_the_retained_limit_are_disposed()
    {
        using var pool = new CompressorPool(ChunkCompressor.DefaultLevel, maxRetained: 1);
        var kept = pool.Rent();
        var extra = pool.Rent();

        pool.Return(kept);
        pool.Return(extra);

        Assert.Equal(1, pool.IdleCount);
        Assert.Throws<ObjectDisposedException>(() => extra.TryCompress(new byte[100], new byte[100], out _));
        Assert.Same(kept, pool.Rent());
    }

    [Fact]
    public void Compressor_of_another_level_is_not_taken_back()
    {
        using var pool = new CompressorPool(3);
        using var stranger = new ChunkCompressor(5);

        var exception = Assert.Throws<ArgumentException>(() => pool.Return(stranger));

        Assert.Equal("compressor", exception.ParamName);
        Assert.Equal(0, pool.IdleCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public void Level_outside_1_to_19_is_rejected_when_the_pool_is_made(int level)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorPool(level));

        Assert.Equal("level", exception.ParamName);
    }

    [Fact]
    public void Retained_limit_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorPool(ChunkCompressor.DefaultLevel, maxRetained: 0));
    }

    [Fact]
    public void Disposed_pool_refuses_to_lend_and_disposes_what_comes_back()
    {
        var pool = new CompressorPool();
        var idle = pool.Rent();
        var outstanding = pool.Rent();
        pool.Return(idle);

        pool.Dispose();
        pool.Return(outstanding);

        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        Assert.Throws<ObjectDisposedException>(() => idle.TryCompress(new byte[100], new byte[100], out _));
        Assert.Throws<ObjectDisposedException>(() => outstanding.TryCompress(new byte[100], new byte[100], out _));
        Assert.Equal(0, pool.IdleCount);
    }

    [Fact]
    public void Many_threads_compress_and_decompress_through_one_pool()
    {
        using var pool = new CompressorPool(ChunkCompressor.DefaultLevel, maxRetained: 3);
        var failures = 0;

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var input = ChunkCompressorTests.LogText(20_000 + (i * 37));
            var frame = new byte[ChunkCompressor.GetMaxCompressedLength(input.Length)];
            var output = new byte[input.Length];
            var compressor = pool.Rent();
            try
            {
                if (!compressor.TryCompress(input, frame, out var frameLength)
                    || !compressor.TryDecompress(frame.AsSpan(0, frameLength), output, out var written)
                    || written != input.Length || !output.AsSpan().SequenceEqual(input))
                {
                    Interlocked.Increment(ref failures);
                }
            }
            finally
            {
                pool.Return(compressor);
            }
        });

        Assert.Equal(0, failures);
        Assert.InRange(pool.IdleCount, 1, pool.MaxRetained);
    }
}
