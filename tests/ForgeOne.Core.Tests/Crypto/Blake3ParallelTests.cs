using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Hashing on several cores gives exactly the single-threaded result, wherever the input splits into subtrees.</summary>
public sealed class Blake3ParallelTests
{
    private const int Threshold = (int)Blake3Tree.ParallelThreshold;
    private const int Leaf = Blake3Tree.ParallelLeafLength;

    public static TheoryData<int> SplitPointLengths() =>
    [
        Threshold - 1,
        Threshold,
        Threshold + 1,
        Threshold + 1024,
        Threshold + Leaf - 1,
        Threshold + Leaf,
        Threshold + Leaf + 1,
        Threshold + 3 * Leaf + 1000,
        2 * Threshold - 1,
        2 * Threshold,
        2 * Threshold + 1,
        3 * Threshold + 7 * Leaf + 1025,
    ];

    [Theory]
    [MemberData(nameof(SplitPointLengths))]
    public void Multithreaded_hash_equals_single_threaded(int length)
    {
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(length), length);
        byte[] single = new byte[64];
        byte[] multi = new byte[64];
        Blake3.Hash(input, single, Blake3Backend.Auto, maxDegreeOfParallelism: 1);
        Blake3.Hash(input, multi, Blake3Backend.Auto, maxDegreeOfParallelism: -1);
        Assert.Equal(single, multi);
        Blake3.Hash(input, multi, Blake3Backend.Auto, maxDegreeOfParallelism: 3);
        Assert.Equal(single, multi);
    }

    [Theory]
    [MemberData(nameof(SplitPointLengths))]
    public void Multithreaded_incremental_update_equals_single_threaded(int length)
    {
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(length), length);
        byte[] expected = new byte[Blake3.HashSize];
        Blake3.Hash(input, expected, Blake3Backend.Auto, maxDegreeOfParallelism: 1);

        // Starting one chunk in makes Update break the rest into several power-of-two subtrees.
        using Blake3Hasher hasher = Blake3Hasher.Create();
        hasher.MaxDegreeOfParallelism = -1;
        hasher.Update(input.AsSpan(0, 1024));
        hasher.Update(input.AsSpan(1024));
        byte[] actual = new byte[Blake3.HashSize];
        hasher.Finalize(actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(4 * Leaf, Leaf)]
    [InlineData(4 * Leaf + 1, Leaf)]
    [InlineData(9 * Leaf + 3000, 2 * Leaf)]
    [InlineData(16 * Leaf - 1, 4 * Leaf)]
    [InlineData(21 * Leaf + 1024, 4 * Leaf)]
    public void Inputs_longer_than_one_parallel_batch_give_the_single_threaded_chaining_values(int length, int batch)
    {
        // Above a batch length (256 MiB in production) the parallel hash recurses before splitting into leaves;
        // small batches exercise that path on small inputs.
        // Each backend returns as many chaining values as it compresses at once, so compare like with like.
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(length), length);
        foreach (Blake3Backend backend in new[] { Blake3Backend.Auto, Blake3Backend.Scalar, Blake3Backend.Vector128 })
        {
            byte[] single = Blake3Tree.SubtreeChainingValues(input, backend, 1, batch);
            Assert.Equal(single, Blake3Tree.SubtreeChainingValues(input, backend, 2, batch));
        }
    }

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void Multithreaded_hash_equals_single_threaded_for_every_backend(string backend)
    {
        const int length = Threshold + 5 * Leaf + 3000;
        byte[] input = Blake3B3sumTests.RandomBytes(new Random(7), length);
        byte[] single = new byte[Blake3.HashSize];
        byte[] multi = new byte[Blake3.HashSize];
        Blake3.Hash(input, single, Blake3Backends.Parse(backend), maxDegreeOfParallelism: 1);
        Blake3.Hash(input, multi, Blake3Backends.Parse(backend), maxDegreeOfParallelism: 2);
        Assert.Equal(single, multi);
    }
}
