using System.Numerics;
using System.Security.Cryptography;
using ForgeOne.Core.Chunking;

namespace ForgeOne.Core.Tests.Chunking;

public sealed class FastCdcChunkerTests
{
    private const int MiB = 1024 * 1024;

    // Small sizes give thousands of chunks per few MiB, so statistical checks are tight and fast.
    private static readonly ChunkerOptions SmallOptions = new(2048, 8192, 65536);

    private static FastCdcChunker Chunker(byte seed = 0, ChunkerOptions? options = null) =>
        new(GearTable.FromSecret(ChunkingTestData.Secret(seed)), options);

    [Fact]
    public void Same_secret_and_data_give_the_same_boundaries()
    {
        var data = ChunkingTestData.RandomBytes(4 * MiB, seed: 1);

        var first = ChunkingTestData.CutAll(Chunker(0, SmallOptions), data);
        var second = ChunkingTestData.CutAll(Chunker(0, SmallOptions), data);

        Assert.Equal(first, second);
        Assert.True(first.Count > 100);
    }

    [Fact]
    public void Different_secrets_give_different_boundaries()
    {
        var data = ChunkingTestData.RandomBytes(4 * MiB, seed: 2);

        var first = ChunkingTestData.CutAll(Chunker(0, SmallOptions), data);
        var second = ChunkingTestData.CutAll(Chunker(1, SmallOptions), data);

        Assert.NotEqual(first, second);
        // Not merely shifted: almost no boundary offset is shared.
        var firstOffsets = Offsets(first).ToHashSet();
        var shared = Offsets(second).Count(firstOffsets.Contains);
        Assert.True(shared < first.Count / 10, $"{shared} of {first.Count} boundaries are shared.");
    }

    [Fact]
    public void Every_chunk_but_the_last_is_between_minimum_and_maximum()
    {
        var options = SmallOptions;
        var data = ChunkingTestData.RandomBytes(8 * MiB, seed: 3);

        var lengths = ChunkingTestData.CutAll(Chunker(0, options), data);

        Assert.Equal(data.Length, lengths.Sum());
        Assert.All(lengths.SkipLast(1), length => Assert.InRange(length, options.MinimumSize, options.MaximumSize));
        Assert.InRange(lengths[^1], 1, options.MaximumSize);
    }

    [Fact]
    public void Data_without_any_cut_is_split_at_the_maximum_size()
    {
        // Zero bytes give hash = gear[0] * (2^k - 1): no cut for this secret, as checked against the reference loop.
        var data = new byte[(10 * SmallOptions.MaximumSize) + 100];
        var chunker = Chunker(0, SmallOptions);
        Assert.Equal(SmallOptions.MaximumSize, chunker.FindCutPointOneByteAtATime(data));

        var lengths = ChunkingTestData.CutAll(chunker, data);

        Assert.Equal(11, lengths.Count);
        Assert.All(lengths.SkipLast(1), length => Assert.Equal(SmallOptions.MaximumSize, length));
        Assert.Equal(100, lengths[^1]);
    }

    [Fact]
    public void Empty_data_gives_a_zero_length_cut()
    {
        Assert.Equal(0, Chunker().FindCutPoint(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(2048)]
    public void Data_no_longer_than_the_minimum_is_one_chunk(int length)
    {
        var data = ChunkingTestData.RandomBytes(length, seed: 4);

        Assert.Equal(length, Chunker(0, SmallOptions).FindCutPoint(data));
    }

    [Fact]
    public void Cut_found_in_truncated_data_matches_the_cut_in_the_full_data()
    {
        var chunker = Chunker(0, SmallOptions);
        var data = ChunkingTestData.RandomBytes(SmallOptions.MaximumSize, seed: 5);
        var full = chunker.FindCutPoint(data);

        for (var length = SmallOptions.MinimumSize + 1; length <= data.Length; length += 997)
        {
            var truncated = chunker.FindCutPoint(data.AsSpan(0, length));
            Assert.Equal(full <= length ? full : length, truncated);
        }
    }

    [Fact]
    public void Two_byte_rolling_finds_exactly_the_cuts_of_byte_at_a_time_rolling()
    {
        var chunker = Chunker(0, SmallOptions);
        var data = ChunkingTestData.RandomBytes(4 * MiB, seed: 6);

        // Every start offset parity and every end parity, to exercise the odd-length tails of both loops.
        for (var start = 0; start < 4; start++)
        {
            var span = data.AsSpan(start);
            while (!span.IsEmpty)
            {
                var reference = chunker.FindCutPointOneByteAtATime(span);
                Assert.Equal(reference, chunker.FindCutPoint(span));
                for (var trim = 1; trim <= 3 && trim < span.Length; trim++)
                {
                    var shorter = span[..Math.Min(span.Length - trim, reference + 1)];
                    Assert.Equal(chunker.FindCutPointOneByteAtATime(shorter), chunker.FindCutPoint(shorter));
                }

                span = span[reference..];
            }
        }
    }

    [Fact]
    public void Mean_chunk_length_on_random_data_is_near_the_average_size()
    {
        var data = ChunkingTestData.RandomBytes(32 * MiB, seed: 7);

        var lengths = ChunkingTestData.CutAll(Chunker(0, SmallOptions), data);

        // Expected about 1.2 × average (no cuts below the minimum); thousands of chunks keep the mean steady.
        var mean = lengths.Average();
        Assert.InRange(mean, 0.9 * SmallOptions.AverageSize, 1.5 * SmallOptions.AverageSize);
    }

    [Fact]
    public void Mean_chunk_length_with_default_options_is_near_1_MiB()
    {
        var data = ChunkingTestData.RandomBytes(128 * MiB, seed: 8);

        var lengths = ChunkingTestData.CutAll(Chunker(), data);

        // About 107 chunks: a looser band than with small chunks.
        Assert.InRange(lengths.Average(), 0.85 * MiB, 1.6 * MiB);
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(1000, 5)]
    [InlineData(3 * MiB, 3)]
    [InlineData(40 * MiB, 1)]
    public void Few_bytes_inserted_change_only_the_chunks_around_them(int offset, int seed)
    {
        var original = ChunkingTestData.RandomBytes(64 * MiB, seed: 9 + seed);
        var inserted = new byte[] { 0x42, 0x13, 0x37, 0x00, 0xff };
        var edited = new byte[original.Length + inserted.Length];
        original.AsSpan(0, offset).CopyTo(edited);
        inserted.CopyTo(edited.AsSpan(offset));
        original.AsSpan(offset).CopyTo(edited.AsSpan(offset + inserted.Length));

        AssertAtMostChangedChunks(original, edited, maximumChanged: 2);
    }

    [Theory]
    [InlineData(1000, 7)]
    [InlineData(5 * MiB, 1)]
    public void Few_bytes_deleted_change_only_the_chunks_around_them(int offset, int count)
    {
        var original = ChunkingTestData.RandomBytes(64 * MiB, seed: 20 + count);
        var edited = new byte[original.Length - count];
        original.AsSpan(0, offset).CopyTo(edited);
        original.AsSpan(offset + count).CopyTo(edited.AsSpan(offset));

        AssertAtMostChangedChunks(original, edited, maximumChanged: 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(22)]
    [InlineData(48)]
    public void Spread_mask_has_the_requested_bits_within_the_48_bit_window(int bits)
    {
        var mask = FastCdcChunker.SpreadMask(bits);

        Assert.Equal(bits, BitOperations.PopCount(mask));
        Assert.Equal(1UL << 47, mask & (1UL << 47));
        Assert.Equal(0UL, mask >> 48);
    }

    private static void AssertAtMostChangedChunks(byte[] original, byte[] edited, int maximumChanged)
    {
        var chunker = Chunker();
        var originalHashes = ChunkHashes(chunker, original);
        var editedHashes = ChunkHashes(chunker, edited).ToHashSet(StringComparer.Ordinal);

        var lost = originalHashes.Count(hash => !editedHashes.Contains(hash));
        Assert.True(originalHashes.Count > 40, $"Only {originalHashes.Count} chunks: the test input is too small.");
        Assert.True(lost <= maximumChanged, $"{lost} of {originalHashes.Count} chunks changed.");
    }

    private static List<string> ChunkHashes(FastCdcChunker chunker, byte[] data)
    {
        var hashes = new List<string>();
        var offset = 0;
        foreach (var length in ChunkingTestData.CutAll(chunker, data))
        {
            hashes.Add(Convert.ToHexString(SHA256.HashData(data.AsSpan(offset, length))));
            offset += length;
        }

        return hashes;
    }

    private static IEnumerable<long> Offsets(List<int> lengths)
    {
        long offset = 0;
        foreach (var length in lengths)
        {
            offset += length;
            yield return offset;
        }
    }
}
