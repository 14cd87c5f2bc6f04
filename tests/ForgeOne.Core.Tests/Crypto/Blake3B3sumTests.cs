using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Our hashes equal those of the reference <c>b3sum</c> tool on random inputs.</summary>
public sealed class Blake3B3sumTests
{
    /// <summary>Lengths just around 1024·2^k bytes, where the tree gains a level.</summary>
    public static TheoryData<int> BoundaryLengths()
    {
        var data = new TheoryData<int>();
        for (int k = 0; k <= 14; k++)
        {
            int boundary = 1024 << k;
            data.Add(boundary - 1);
            data.Add(boundary);
            data.Add(boundary + 1);
        }

        return data;
    }

    /// <summary>Random lengths, seeded so a failure reproduces.</summary>
    public static TheoryData<int> RandomLengths()
    {
        var random = new Random(20250101);
        var data = new TheoryData<int> { 0, 1, 63, 64, 65 };
        for (int i = 0; i < 12; i++)
        {
            data.Add(random.Next(1, 3 << 20));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public void Hash_and_HashFile_equal_b3sum_around_chunk_boundaries(int length) => AssertMatchesB3sum(length, length);

    [Theory]
    [MemberData(nameof(RandomLengths))]
    public void Hash_and_HashFile_equal_b3sum_on_random_lengths(int length) => AssertMatchesB3sum(length, length + 17);

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    [InlineData(70_001)]
    [InlineData(1 << 20)]
    public void Keyed_hash_with_extended_output_equals_b3sum(int length)
    {
        var random = new Random(length);
        byte[] input = RandomBytes(random, length);
        byte[] key = RandomBytes(random, Blake3.KeySize);
        using var file = new TemporaryFile(input);

        foreach (int outputLength in new[] { 32, 1, 65, 1000 })
        {
            byte[] expected = B3sum.Hash(file.Path, outputLength, key);
            byte[] actual = new byte[outputLength];
            Blake3.KeyedHash(key, input, actual);
            Assert.Equal(expected, actual);
            Assert.Equal(expected, Blake3.HashFile(file.Path, key, outputLength));
        }
    }

    [Theory]
    [InlineData("ForgeOne 2025-01-01 test context", 3000)]
    [InlineData("", 0)]
    [InlineData("ForgeOne ключ 🔑 and a context longer than 256 UTF-8 bytes, which is encoded into a pooled buffer rather than on the stack; ForgeOne ключ 🔑 ForgeOne ключ 🔑 ForgeOne ключ 🔑 ForgeOne ключ 🔑 ForgeOne ключ 🔑 ForgeOne ключ 🔑", 70_001)]
    public void Derive_key_equals_b3sum(string context, int length)
    {
        byte[] input = RandomBytes(new Random(length), length);
        using var file = new TemporaryFile(input);
        byte[] expected = B3sum.Hash(file.Path, 100, deriveKeyContext: context);

        byte[] actual = new byte[100];
        Blake3.DeriveKey(context, input, actual);
        Assert.Equal(expected, actual);
        using Blake3Hasher hasher = Blake3Hasher.CreateDeriveKey(context);
        hasher.Update(input);
        hasher.Finalize(actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(9 * 1024 * 1024 + 12_345)]
    [InlineData(40 * 1024 * 1024 + 1)]
    public void Multi_mebibyte_inputs_hashed_on_several_cores_equal_b3sum(int length)
    {
        var random = new Random(length);
        byte[] input = RandomBytes(random, length);
        byte[] key = RandomBytes(random, Blake3.KeySize);
        using var file = new TemporaryFile(input);

        byte[] expected = B3sum.Hash(file.Path);
        Assert.Equal(expected, Blake3.Hash(input));
        Assert.Equal(expected, Blake3.HashFile(file.Path, maxDegreeOfParallelism: -1));
        Assert.Equal(expected, Blake3.HashFile(file.Path, maxDegreeOfParallelism: 2));
        using (Blake3Hasher hasher = Blake3Hasher.Create())
        {
            // A partial chunk first, so the big update starts at an odd chunk offset.
            hasher.Update(input.AsSpan(0, 1500));
            hasher.Update(input.AsSpan(1500));
            byte[] actual = new byte[Blake3.HashSize];
            hasher.Finalize(actual);
            Assert.Equal(expected, actual);
        }

        Assert.Equal(B3sum.Hash(file.Path, 32, key), Blake3.HashFile(file.Path, key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public async Task HashStreamAsync_equals_b3sum(int length)
    {
        byte[] input = RandomBytes(new Random(length), length);
        using var file = new TemporaryFile(input);
        await using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        Assert.Equal(B3sum.Hash(file.Path), await Blake3.HashStreamAsync(stream));
    }

    private static void AssertMatchesB3sum(int length, int seed)
    {
        var random = new Random(seed);
        byte[] input = RandomBytes(random, length);
        using var file = new TemporaryFile(input);
        byte[] expected = B3sum.Hash(file.Path);

        Assert.Equal(expected, Blake3.Hash(input));
        Assert.Equal(expected, Blake3.HashFile(file.Path));
        Assert.Equal(expected, Blake3.HashFile(file.Path, maxDegreeOfParallelism: 1));

        using Blake3Hasher hasher = Blake3Hasher.Create();
        int split = random.Next(0, length + 1);
        hasher.Update(input.AsSpan(0, split));
        hasher.Update(input.AsSpan(split));
        byte[] actual = new byte[Blake3.HashSize];
        hasher.Finalize(actual);
        Assert.Equal(expected, actual);
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class TemporaryFile : IDisposable
    {
        public TemporaryFile(byte[] contents)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllBytes(Path, contents);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
