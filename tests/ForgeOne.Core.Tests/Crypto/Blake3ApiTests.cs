using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Argument checks and lifetime rules of the public BLAKE3 API.</summary>
public sealed class Blake3ApiTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Keys_that_are_not_32_bytes_are_rejected(int keyLength)
    {
        byte[] key = new byte[keyLength];
        Assert.Throws<ArgumentException>("key", () => Blake3.KeyedHash(key, [], new byte[32]));
        Assert.Throws<ArgumentException>("key", () => Blake3Hasher.CreateKeyed(key));
        Assert.Throws<ArgumentException>("key", () => new Blake3HashAlgorithm(key));
    }

    [Fact]
    public void HashFile_rejects_a_key_of_the_wrong_length_but_accepts_an_empty_one()
    {
        string path = Path.GetTempFileName();
        try
        {
            Assert.Throws<ArgumentException>("key", () => Blake3.HashFile(path, new byte[16]));
            Assert.Equal(Blake3.Hash([]), Blake3.HashFile(path, ReadOnlySpan<byte>.Empty));
            Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => Blake3.HashFile(path, maxDegreeOfParallelism: 0));
            Assert.Throws<ArgumentOutOfRangeException>("outputLength", () => Blake3.HashFile(path, outputLength: -1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Finalize_does_not_change_state_and_update_may_continue()
    {
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(3), 5000);
        using Blake3Hasher hasher = Blake3Hasher.Create();
        hasher.Update(input.AsSpan(0, 2048));
        byte[] first = new byte[Blake3.HashSize];
        hasher.Finalize(first);
        Assert.Equal(Blake3.Hash(input.AsSpan(0, 2048)), first);
        hasher.Update(input.AsSpan(2048));
        byte[] second = new byte[Blake3.HashSize];
        hasher.Finalize(second);
        Assert.Equal(Blake3.Hash(input), second);
    }

    [Fact]
    public void Extended_output_starts_with_the_default_hash()
    {
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(4), 3000);
        byte[] extended = new byte[1000];
        Blake3.Hash(input, extended);
        Assert.Equal(Blake3.Hash(input), extended[..Blake3.HashSize]);
    }

    [Fact]
    public void Reset_keeps_the_key_and_forgets_the_input()
    {
        byte[] key = Blake3B3sumTests.RandomBytes(new Random(5), 32);
        using Blake3Hasher hasher = Blake3Hasher.CreateKeyed(key);
        hasher.Update([1, 2, 3]);
        hasher.Reset();
        hasher.Update([4, 5]);
        byte[] actual = new byte[Blake3.HashSize];
        hasher.Finalize(actual);
        byte[] expected = new byte[Blake3.HashSize];
        Blake3.KeyedHash(key, [4, 5], expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_disposed_hasher_refuses_further_use()
    {
        Blake3Hasher hasher = Blake3Hasher.Create();
        hasher.Dispose();
        Assert.Throws<ObjectDisposedException>(() => hasher.Update([1]));
        Assert.Throws<ObjectDisposedException>(() => hasher.Finalize(new byte[32]));
        Assert.Throws<ObjectDisposedException>(hasher.Reset);
    }

    [Fact]
    public async Task HashStreamAsync_observes_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        using var stream = new MemoryStream(new byte[100_000]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Blake3.HashStreamAsync(stream, cancellation.Token));
    }

    [Fact]
    public async Task HashStreamAsync_equals_one_shot_hash()
    {
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(6), 2_500_000);
        using var stream = new MemoryStream(input);
        Assert.Equal(Blake3.Hash(input), await Blake3.HashStreamAsync(stream));
    }

    [Fact]
    public void Derive_key_differs_by_context()
    {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        Blake3.DeriveKey("ForgeOne test context A", [1, 2, 3], a);
        Blake3.DeriveKey("ForgeOne test context B", [1, 2, 3], b);
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentNullException>("context", () => Blake3.DeriveKey(null!, [], a));
    }
}
