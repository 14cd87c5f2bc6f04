using System.Diagnostics;
using System.Reflection;
using ForgeOne.Core.Chunking;

namespace ForgeOne.Core.Tests.Chunking;

public sealed class StreamChunkerTests
{
    private const int MiB = 1024 * 1024;

    private static readonly ChunkerOptions SmallOptions = new(2048, 8192, 65536);

    // A maximum far past the read window (four average chunks and a 64 KiB read-ahead: 96 KiB), as with the defaults.
    private static readonly ChunkerOptions LongChunkOptions = new(2048, 8192, 262144);

    private static FastCdcChunker Chunker(ChunkerOptions? options = null) =>
        new(GearTable.FromSecret(ChunkingTestData.Secret(0)), options);

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 4096)]
    [InlineData(3, 100_000)]
    public void Chunks_match_the_span_api_whatever_the_read_sizes(int seed, int maximumRead)
    {
        var chunker = Chunker(SmallOptions);
        var data = ChunkingTestData.RandomBytes((3 * MiB) + 12345, seed);
        var expected = ChunkingTestData.CutAll(chunker, data);

        using var streamChunker = new StreamChunker(new ShortReadStream(data, seed, maximumRead), chunker);
        var lengths = new List<int>();
        while (streamChunker.ReadNext())
        {
            Assert.Equal(lengths.Sum(), streamChunker.Offset);
            Assert.True(streamChunker.Current.Span.SequenceEqual(data.AsSpan((int)streamChunker.Offset, streamChunker.Current.Length)));
            lengths.Add(streamChunker.Current.Length);
        }

        Assert.Equal(expected, lengths);
    }

    [Theory]
    [InlineData(4, 7)]
    [InlineData(5, 4096)]
    [InlineData(6, 100_000)]
    public async Task Chunks_read_asynchronously_match_the_span_api_whatever_the_read_sizes(int seed, int maximumRead)
    {
        var chunker = Chunker(SmallOptions);
        var data = ChunkingTestData.RandomBytes((3 * MiB) + 54321, seed);
        var expected = ChunkingTestData.CutAll(chunker, data);

        using var streamChunker = new StreamChunker(new ShortReadStream(data, seed, maximumRead), chunker);
        var lengths = new List<int>();
        while (await streamChunker.ReadNextAsync())
        {
            Assert.Equal(lengths.Sum(), streamChunker.Offset);
            Assert.True(streamChunker.Current.Span.SequenceEqual(data.AsSpan((int)streamChunker.Offset, streamChunker.Current.Length)));
            lengths.Add(streamChunker.Current.Length);
        }

        Assert.Equal(expected, lengths);
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(8, 4096)]
    [InlineData(9, 100_000)]
    public async Task A_caller_buffer_of_the_minimum_size_gives_the_same_chunks_and_is_reusable(int seed, int maximumRead)
    {
        var chunker = Chunker(SmallOptions);
        var buffer = new byte[StreamChunker.GetMinimumBufferSize(chunker)];
        foreach (var round in new[] { 0, 1 })
        {
            var data = ChunkingTestData.RandomBytes((2 * MiB) + 999 + round, seed + round);
            var expected = ChunkingTestData.CutAll(chunker, data);

            using var streamChunker = new StreamChunker(new ShortReadStream(data, seed, maximumRead), chunker, buffer);
            var lengths = new List<int>();
            while (await streamChunker.ReadNextAsync())
            {
                Assert.True(streamChunker.Current.Span.SequenceEqual(data.AsSpan((int)streamChunker.Offset, streamChunker.Current.Length)));
                lengths.Add(streamChunker.Current.Length);
            }

            Assert.Equal(expected, lengths);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Chunks_longer_than_the_read_window_are_cut_where_the_span_api_cuts_them(int maximumRead)
    {
        // Reads normally stop at a window of four average chunks; uniform data has no cut points, so every chunk runs
        // to the maximum and the reader must go past the window to the end of the buffer, in both read paths.
        var chunker = Chunker(LongChunkOptions);
        var data = new byte[(5 * LongChunkOptions.MaximumSize) + 123];
        ChunkingTestData.RandomBytes(3 * LongChunkOptions.AverageSize, seed: 10).CopyTo(data, 0);
        var expected = ChunkingTestData.CutAll(chunker, data);
        Assert.Contains(LongChunkOptions.MaximumSize, expected);

        var buffer = new byte[StreamChunker.GetMinimumBufferSize(chunker)];
        using var asyncChunker = new StreamChunker(new ShortReadStream(data, 10, maximumRead), chunker, buffer);
        var asyncLengths = new List<int>();
        while (await asyncChunker.ReadNextAsync())
        {
            Assert.True(asyncChunker.Current.Span.SequenceEqual(data.AsSpan((int)asyncChunker.Offset, asyncChunker.Current.Length)));
            asyncLengths.Add(asyncChunker.Current.Length);
        }

        using var syncChunker = new StreamChunker(new ShortReadStream(data, 10, maximumRead), chunker, buffer);
        var syncLengths = new List<int>();
        while (syncChunker.ReadNext())
        {
            syncLengths.Add(syncChunker.Current.Length);
        }

        Assert.Equal(expected, asyncLengths);
        Assert.Equal(expected, syncLengths);

        // Going past the window is what the buffer's extent reports, so a caller can give back what only such a chunk needed.
        Assert.Equal(buffer.Length, asyncChunker.BufferExtent);
        Assert.Equal(buffer.Length, syncChunker.BufferExtent);
    }

    [Fact]
    public async Task The_buffer_extent_stays_within_the_read_window_while_chunks_are_usual()
    {
        // Four average chunks plus the read-ahead: the most reads fill when every chunk is cut before the window's end.
        var chunker = Chunker(LongChunkOptions);
        var readAhead = 64 * 1024;
        var window = (4 * LongChunkOptions.AverageSize) + readAhead;
        var data = ChunkingTestData.RandomBytes(40 * LongChunkOptions.MaximumSize, seed: 4);
        Assert.True(ChunkingTestData.CutAll(chunker, data).Max() <= window - readAhead);

        // A caller's buffer larger than needed: the pages past the window are never written.
        var buffer = new byte[4 * StreamChunker.GetMinimumBufferSize(chunker)];
        using var streamChunker = new StreamChunker(new ShortReadStream(data, 4, 100_000), chunker, buffer.AsMemory());
        Assert.Equal(0, streamChunker.BufferExtent);
        while (await streamChunker.ReadNextAsync())
        {
        }

        Assert.InRange(streamChunker.BufferExtent, 1, window);
    }

    [Fact]
    public void A_caller_buffer_smaller_than_the_minimum_is_refused()
    {
        var chunker = Chunker(SmallOptions);
        Assert.Throws<ArgumentException>(() => new StreamChunker(new MemoryStream(), chunker, new byte[StreamChunker.GetMinimumBufferSize(chunker) - 1]));
    }

    [Fact]
    public async Task Default_options_stream_matches_the_span_api()
    {
        var chunker = Chunker();
        var data = ChunkingTestData.RandomBytes(40 * MiB, seed: 7);
        var expected = ChunkingTestData.CutAll(chunker, data);

        using var streamChunker = new StreamChunker(new ShortReadStream(data, 7, 3 * MiB), chunker);
        var lengths = new List<int>();
        while (await streamChunker.ReadNextAsync())
        {
            lengths.Add(streamChunker.Current.Length);
        }

        Assert.Equal(expected, lengths);
    }

    [Fact]
    public async Task Empty_stream_yields_no_chunks()
    {
        using var syncChunker = new StreamChunker(new MemoryStream(), Chunker());
        using var asyncChunker = new StreamChunker(new MemoryStream(), Chunker());

        Assert.False(syncChunker.ReadNext());
        Assert.False(await asyncChunker.ReadNextAsync());
        Assert.True(syncChunker.Current.IsEmpty);
        Assert.Equal(0, syncChunker.Offset);
    }

    [Fact]
    public void Stream_shorter_than_the_minimum_yields_one_chunk()
    {
        var data = ChunkingTestData.RandomBytes(1000, seed: 8);
        using var streamChunker = new StreamChunker(new MemoryStream(data), Chunker(SmallOptions));

        Assert.True(streamChunker.ReadNext());
        Assert.Equal(data, streamChunker.Current.ToArray());
        Assert.Equal(0, streamChunker.Offset);
        Assert.False(streamChunker.ReadNext());
    }

    [Fact]
    public void Chunking_starts_at_the_stream_position_and_offsets_count_from_there()
    {
        var data = ChunkingTestData.RandomBytes(MiB, seed: 9);
        var expected = ChunkingTestData.CutAll(Chunker(SmallOptions), data.AsSpan(100));
        var stream = new MemoryStream(data) { Position = 100 };

        using var streamChunker = new StreamChunker(stream, Chunker(SmallOptions));
        Assert.True(streamChunker.ReadNext());

        Assert.Equal(0, streamChunker.Offset);
        Assert.Equal(expected[0], streamChunker.Current.Length);
    }

    [Fact]
    public async Task Steady_state_allocates_nothing_per_chunk()
    {
        var chunker = Chunker(SmallOptions);
        var data = ChunkingTestData.RandomBytes(8 * MiB, seed: 10);
        using var syncChunker = new StreamChunker(new MemoryStream(data), chunker);
        using var asyncChunker = new StreamChunker(new MemoryStream(data), chunker);
        // Warm up: first calls may allocate (JIT tiers, pool growth).
        for (var i = 0; i < 50; i++)
        {
            syncChunker.ReadNext();
            await asyncChunker.ReadNextAsync();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var chunks = 0;
        while (syncChunker.ReadNext())
        {
            chunks++;
        }

        var syncAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        while (await asyncChunker.ReadNextAsync())
        {
            chunks++;
        }

        var asyncAllocated = GC.GetAllocatedBytesForCurrentThread() - before - syncAllocated;
        Assert.True(chunks > 1000);
        Assert.True(syncAllocated == 0, $"{syncAllocated} bytes allocated over {chunks / 2} synchronous reads.");
        // A Debug build compiles async state machines as classes, so only an optimized Core can promise zero.
        if (IsOptimized(typeof(StreamChunker).Assembly))
        {
            Assert.True(asyncAllocated == 0, $"{asyncAllocated} bytes allocated over {chunks / 2} asynchronous reads.");
        }
    }

    [Fact]
    public async Task Cancelled_token_stops_an_asynchronous_read()
    {
        using var streamChunker = new StreamChunker(new MemoryStream(new byte[100]), Chunker());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await streamChunker.ReadNextAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Disposing_closes_the_stream_unless_asked_to_leave_it_open()
    {
        var closed = new MemoryStream(new byte[10]);
        var open = new MemoryStream(new byte[10]);

        new StreamChunker(closed, Chunker()).Dispose();
        new StreamChunker(open, Chunker(), leaveOpen: true).Dispose();

        Assert.False(closed.CanRead);
        Assert.True(open.CanRead);
    }

    [Fact]
    public async Task Reading_after_dispose_throws()
    {
        var streamChunker = new StreamChunker(new MemoryStream(new byte[10]), Chunker());
        streamChunker.Dispose();

        Assert.Throws<ObjectDisposedException>(() => streamChunker.ReadNext());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await streamChunker.ReadNextAsync());
    }

    [Fact]
    public void Unreadable_stream_is_rejected()
    {
        var stream = new MemoryStream();
        stream.Dispose();

        var exception = Assert.Throws<ArgumentException>(() => new StreamChunker(stream, Chunker()));
        Assert.Equal("stream", exception.ParamName);
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
}
