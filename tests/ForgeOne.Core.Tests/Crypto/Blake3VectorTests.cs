using System.Text;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>Every official test vector, in all three modes and at full extended length, for every backend and entry point.</summary>
public sealed class Blake3VectorTests
{
    private static byte[] Key => Encoding.ASCII.GetBytes(Blake3TestVectors.Key);

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void One_shot_hash_matches_official_vectors(string backend)
    {
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] input = Blake3TestVectors.Input(c.InputLength);
            byte[] output = new byte[c.Hash.Length];
            Blake3.Hash(input, output, Blake3Backends.Parse(backend));
            AssertBytes(c.Hash, output, c, "hash");
        }
    }

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void Keyed_hash_matches_official_vectors(string backend)
    {
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] output = new byte[c.KeyedHash.Length];
            Blake3.KeyedHash(Key, Blake3TestVectors.Input(c.InputLength), output, Blake3Backends.Parse(backend));
            AssertBytes(c.KeyedHash, output, c, "keyed_hash");
        }
    }

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void Derive_key_matches_official_vectors(string backend)
    {
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] output = new byte[c.DeriveKey.Length];
            Blake3.DeriveKey(Blake3TestVectors.Context, Blake3TestVectors.Input(c.InputLength), output, Blake3Backends.Parse(backend));
            AssertBytes(c.DeriveKey, output, c, "derive_key");
        }
    }

    [Fact]
    public void Public_one_shot_methods_match_official_vectors()
    {
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] input = Blake3TestVectors.Input(c.InputLength);
            AssertBytes(c.Hash.AsSpan(0, Blake3.HashSize).ToArray(), Blake3.Hash(input), c, "hash (32 bytes)");

            byte[] output = new byte[c.Hash.Length];
            Blake3.Hash(input, output);
            AssertBytes(c.Hash, output, c, "hash");
            Blake3.KeyedHash(Key, input, output);
            AssertBytes(c.KeyedHash, output, c, "keyed_hash");
            Blake3.DeriveKey(Blake3TestVectors.Context, input, output);
            AssertBytes(c.DeriveKey, output, c, "derive_key");
        }
    }

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void Incremental_hashing_with_random_split_points_matches_official_vectors(string backend)
    {
        var random = new Random(1234);
        Blake3Backend b = Blake3Backends.Parse(backend);
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] input = Blake3TestVectors.Input(c.InputLength);
            using (Blake3Hasher hasher = Blake3Hasher.Create(b))
            {
                AssertBytes(c.Hash, FeedInRandomPieces(hasher, input, random, c.Hash.Length), c, "hash");
            }

            using (Blake3Hasher hasher = Blake3Hasher.CreateKeyed(Key, b))
            {
                AssertBytes(c.KeyedHash, FeedInRandomPieces(hasher, input, random, c.KeyedHash.Length), c, "keyed_hash");
            }

            using (Blake3Hasher hasher = Blake3Hasher.CreateDeriveKey(Blake3TestVectors.Context, b))
            {
                AssertBytes(c.DeriveKey, FeedInRandomPieces(hasher, input, random, c.DeriveKey.Length), c, "derive_key");
            }
        }
    }

    [Fact]
    public void Public_hasher_factories_match_official_vectors()
    {
        var random = new Random(99);
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] input = Blake3TestVectors.Input(c.InputLength);
            using Blake3Hasher hash = Blake3Hasher.Create();
            using Blake3Hasher keyed = Blake3Hasher.CreateKeyed(Key);
            using Blake3Hasher derive = Blake3Hasher.CreateDeriveKey(Blake3TestVectors.Context);
            AssertBytes(c.Hash, FeedInRandomPieces(hash, input, random, c.Hash.Length), c, "hash");
            AssertBytes(c.KeyedHash, FeedInRandomPieces(keyed, input, random, c.KeyedHash.Length), c, "keyed_hash");
            AssertBytes(c.DeriveKey, FeedInRandomPieces(derive, input, random, c.DeriveKey.Length), c, "derive_key");
        }
    }

    [Theory]
    [ClassData(typeof(Blake3Backends))]
    public void Hash_algorithm_adapter_matches_official_vectors(string backend)
    {
        Blake3Backend b = Blake3Backends.Parse(backend);
        foreach (Blake3TestVectors.Case c in Blake3TestVectors.Cases)
        {
            byte[] input = Blake3TestVectors.Input(c.InputLength);
            using (var algorithm = new Blake3HashAlgorithm(Blake3Hasher.Create(b)))
            {
                AssertBytes(c.Hash[..Blake3.HashSize], algorithm.ComputeHash(input), c, "hash");

                // ComputeHash reinitialises, so a second message through TransformBlock starts afresh.
                int half = input.Length / 2;
                algorithm.TransformBlock(input, 0, half, null, 0);
                algorithm.TransformFinalBlock(input, half, input.Length - half);
                AssertBytes(c.Hash[..Blake3.HashSize], algorithm.Hash!, c, "hash (two blocks)");
            }

            using (var algorithm = new Blake3HashAlgorithm(Blake3Hasher.CreateKeyed(Key, b)))
            {
                AssertBytes(c.KeyedHash[..Blake3.HashSize], algorithm.ComputeHash(input), c, "keyed_hash");
            }
        }
    }

    [Fact]
    public void Public_hash_algorithm_constructors_match_official_vectors()
    {
        Blake3TestVectors.Case c = Blake3TestVectors.Cases.Single(x => x.InputLength == 102400);
        byte[] input = Blake3TestVectors.Input(c.InputLength);
        using var unkeyed = new Blake3HashAlgorithm();
        using var keyed = new Blake3HashAlgorithm(Key);
        Assert.Equal(256, unkeyed.HashSize);
        AssertBytes(c.Hash[..Blake3.HashSize], unkeyed.ComputeHash(input), c, "hash");
        AssertBytes(c.KeyedHash[..Blake3.HashSize], keyed.ComputeHash(input), c, "keyed_hash");
    }

    /// <summary>Feeds the input in random-sized pieces, finalizing part-way to prove that Finalize leaves the state alone.</summary>
    private static byte[] FeedInRandomPieces(Blake3Hasher hasher, byte[] input, Random random, int outputLength)
    {
        int offset = 0;
        byte[] scratch = new byte[outputLength];
        while (offset < input.Length)
        {
            int take = random.Next(4) switch
            {
                0 => random.Next(0, 65),
                1 => random.Next(0, 1100),
                2 => random.Next(0, 20000),
                _ => input.Length - offset,
            };
            take = Math.Min(take, input.Length - offset);
            hasher.Update(input.AsSpan(offset, take));
            offset += take;
            if (random.Next(3) == 0)
            {
                hasher.Finalize(scratch);
            }
        }

        byte[] output = new byte[outputLength];
        hasher.Finalize(output);
        byte[] again = new byte[outputLength];
        hasher.Finalize(again);
        Assert.Equal(output, again);
        return output;
    }

    private static void AssertBytes(byte[] expected, byte[] actual, Blake3TestVectors.Case c, string mode)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail($"{mode} of {c.InputLength} bytes: expected {Convert.ToHexStringLower(expected)}, got {Convert.ToHexStringLower(actual)}");
        }
    }
}
