using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Tests.Compression;

namespace ForgeOne.Core.Tests.Crypto;

public sealed class EnvelopeTests : IDisposable
{
    private static readonly byte[] ChunkId = Convert.FromHexString("3f2a91c07d1e4b60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718");

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ObjectSealer _sealer;
    private readonly ObjectOpener _opener;

    public EnvelopeTests()
    {
        _sealer = new ObjectSealer(_key);
        _opener = new ObjectOpener(_key);
    }

    public void Dispose()
    {
        _sealer.Dispose();
        _opener.Dispose();
    }

    public static TheoryData<string, int> Plaintexts() => new()
    {
        { "empty", 0 },
        { "small", 11 },
        { "random 1 MiB", 1 << 20 },
        { "compressible 1 MiB", 1 << 20 },
        { "compressible 100 bytes", 100 },
    };

    private static byte[] MakePlaintext(string name, int length)
    {
        if (name.StartsWith("compressible", StringComparison.Ordinal))
        {
            var text = Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog; ");
            var data = new byte[length];
            for (var i = 0; i < length; i++)
            {
                data[i] = text[i % text.Length];
            }

            return data;
        }

        return RandomNumberGenerator.GetBytes(length);
    }

    [Theory]
    [MemberData(nameof(Plaintexts))]
    public void Sealed_object_opens_to_the_same_bytes(string name, int length)
    {
        var plaintext = MakePlaintext(name, length);
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext);

        Assert.Equal(plaintext, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, length));

        var destination = new byte[length];
        Assert.Equal(length, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, destination));
        Assert.Equal(plaintext, destination);
    }

    [Fact]
    public void Compressible_data_is_stored_smaller_and_random_data_costs_only_the_overhead()
    {
        var compressible = MakePlaintext("compressible", 1 << 20);
        var random = MakePlaintext("random", 1 << 20);

        Assert.True(_sealer.Seal(ObjectKind.Chunk, ChunkId, compressible).Length < compressible.Length / 10);
        Assert.Equal(random.Length + Envelope.Overhead, _sealer.Seal(ObjectKind.Chunk, ChunkId, random).Length);
    }

    [Fact]
    public void Large_random_plaintext_is_stored_raw_with_codec_0()
    {
        var random = MakePlaintext("random", 1 << 20);

        var inner = InnerPlaintextByHand(_sealer.Seal(ObjectKind.Chunk, ChunkId, random));

        Assert.Equal(Envelope.CodecStored, inner[0]);
        Assert.Equal(random, inner[1..]);
    }

    [Fact]
    public void Large_object_is_judged_by_the_shared_sample_before_any_full_attempt()
    {
        // Compressible everywhere except the four 4 KiB slices ChunkCompressor samples (spread evenly, first at
        // the start and last at the end). A full attempt would shrink it to a fraction; the sample says no.
        var plaintext = MakePlaintext("compressible", 1 << 20);
        var step = (plaintext.Length - 4096) / 3;
        for (var k = 0; k < 4; k++)
        {
            RandomNumberGenerator.Fill(plaintext.AsSpan(k * step, 4096));
        }

        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext);

        Assert.Equal(Envelope.CodecStored, InnerPlaintextByHand(sealedObject)[0]);
        Assert.Equal(plaintext.Length + Envelope.Overhead, sealedObject.Length);
        Assert.Equal(plaintext, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, plaintext.Length));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(50_000)]
    [InlineData(1 << 20)]
    public void Compressible_plaintext_is_stored_as_one_zstd_frame_with_codec_1(int length)
    {
        var plaintext = MakePlaintext("compressible", length);

        var inner = InnerPlaintextByHand(_sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext));

        Assert.Equal(Envelope.CodecZstd, inner[0]);
        using var decompressor = new ZstdSharp.Decompressor();
        Assert.Equal(plaintext, decompressor.Unwrap(inner.AsSpan(1)).ToArray());
    }

    [Theory]
    [InlineData(63, Envelope.CodecStored)]
    [InlineData(64, Envelope.CodecZstd)]
    public void Compression_is_tried_from_64_bytes_up(int length, byte codec)
    {
        var zeros = new byte[length];

        var inner = InnerPlaintextByHand(_sealer.Seal(ObjectKind.Chunk, ChunkId, zeros));

        Assert.Equal(codec, inner[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(22)]
    public void Compression_level_outside_the_compressors_range_is_refused(int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnvelopeOptions { CompressionLevel = level });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(19)]
    public void Every_accepted_compression_level_seals_and_opens(int level)
    {
        using var sealer = new ObjectSealer(_key, new EnvelopeOptions { CompressionLevel = level });
        var plaintext = MakePlaintext("compressible", 100_000);

        var sealedObject = sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext);

        Assert.Equal(Envelope.CodecZstd, InnerPlaintextByHand(sealedObject)[0]);
        Assert.Equal(plaintext, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, plaintext.Length));
    }

    [Fact]
    public void Concurrent_compressing_seals_and_opens_from_many_threads_round_trip()
    {
        // Mixed sizes on both sides of the sample threshold, compressible and random, so threads rent
        // compressors in every state at once; more threads than the pool retains.
        int[] lengths = [100, 5_000, 70_000, 300_000];
        var plaintexts = Enumerable.Range(0, 96)
            .Select(i => MakePlaintext(i % 2 == 0 ? "compressible" : "random", lengths[i % lengths.Length]))
            .ToArray();
        var sealedObjects = new byte[plaintexts.Length][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16 };

        Parallel.For(0, plaintexts.Length, options, i =>
            sealedObjects[i] = _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintexts[i]));
        Parallel.For(0, plaintexts.Length, options, i =>
        {
            Assert.Equal(plaintexts[i], _opener.Open(ObjectKind.Chunk, ChunkId, sealedObjects[i], plaintexts[i].Length));
            var destination = new byte[plaintexts[i].Length];
            Assert.Equal(destination.Length, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObjects[i], destination));
            Assert.Equal(plaintexts[i], destination);
        });

        for (var i = 0; i < plaintexts.Length; i++)
        {
            var expected = i % 2 == 0 ? Envelope.CodecZstd : Envelope.CodecStored;
            Assert.Equal(expected, InnerPlaintextByHand(sealedObjects[i])[0]);
        }
    }

    [Fact]
    public void Authentic_frame_that_decodes_past_its_declared_size_is_malformed_not_too_large()
    {
        var plaintext = MakePlaintext("compressible", 1000);
        var sealedObject = BuildByHand(codec: Envelope.CodecZstd, body: ChunkCompressorTests.UnderstateContentSize(ZstdFrame(plaintext)));

        Assert.Throws<MalformedObjectException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 4096));
        Assert.Throws<MalformedObjectException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, new byte[999]));
        Assert.Throws<MalformedObjectException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, new byte[4096]));
    }

    [Fact]
    public void Compression_can_be_turned_off()
    {
        using var sealer = new ObjectSealer(_key, new EnvelopeOptions { Compress = false });
        var compressible = MakePlaintext("compressible", 4096);

        var sealedObject = sealer.Seal(ObjectKind.Tree, ChunkId, compressible);

        Assert.Equal(compressible.Length + Envelope.Overhead, sealedObject.Length);
        Assert.Equal(compressible, _opener.Open(ObjectKind.Tree, ChunkId, sealedObject, 4096));
    }

    [Fact]
    public void Header_carries_version_algorithm_and_the_sealers_session()
    {
        var first = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);
        var second = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);

        Assert.Equal(Envelope.Version, first[0]);
        Assert.Equal(Envelope.AlgorithmAes256GcmSession, first[1]);
        Assert.Equal(first.AsSpan(2, 16).ToArray(), second.AsSpan(2, 16).ToArray());
        Assert.Equal(Envelope.HeaderLength + 1 + 3 + Envelope.TagLength, first.Length);
    }

    [Fact]
    public void Two_seals_of_the_same_plaintext_differ()
    {
        var plaintext = Encoding.UTF8.GetBytes("same plaintext");

        var first = _sealer.Seal(ObjectKind.Snapshot, ChunkId, plaintext);
        var second = _sealer.Seal(ObjectKind.Snapshot, ChunkId, plaintext);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.AsSpan(Envelope.NonceOffset, 12).ToArray(), second.AsSpan(Envelope.NonceOffset, 12).ToArray());
    }

    [Fact]
    public void Separate_sealers_use_separate_sessions()
    {
        using var other = new ObjectSealer(_key);

        var first = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1]);
        var second = other.Seal(ObjectKind.Chunk, ChunkId, [1]);

        Assert.NotEqual(first.AsSpan(2, 16).ToArray(), second.AsSpan(2, 16).ToArray());
        Assert.Equal([1], _opener.Open(ObjectKind.Chunk, ChunkId, second, 1));
    }

    [Fact]
    public void Every_single_byte_flip_fails_with_the_right_type()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, Encoding.UTF8.GetBytes("hello world"));

        for (var position = 0; position < sealedObject.Length; position++)
        {
            var tampered = (byte[])sealedObject.Clone();
            tampered[position] ^= 0x01;

            void Open() => _opener.Open(ObjectKind.Chunk, ChunkId, tampered, 1024);

            if (position < 2)
            {
                // Version and algorithm bytes: a changed value is a format this build does not know.
                Assert.Throws<UnsupportedFormatException>(Open);
            }
            else
            {
                var ex = Assert.Throws<ObjectAuthenticationException>(Open);
                Assert.Equal(ObjectKind.Chunk, ex.Kind);
                Assert.Equal(Convert.ToHexString(ChunkId).ToLowerInvariant(), ex.ObjectId);
                Assert.IsType<AuthenticationTagMismatchException>(ex.InnerException);
            }
        }
    }

    [Fact]
    public void Truncation_below_the_minimum_is_reported_as_truncated()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, Encoding.UTF8.GetBytes("hello world"));

        for (var length = 0; length < Envelope.Overhead; length++)
        {
            var ex = Assert.Throws<TruncatedObjectException>(
                () => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject.AsSpan(0, length), 1024));
            Assert.Equal(length, ex.Length);
            Assert.Equal(Envelope.Overhead, ex.MinimumLength);
        }
    }

    [Fact]
    public void Truncation_above_the_minimum_fails_authentication()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, Encoding.UTF8.GetBytes("hello world"));

        for (var length = Envelope.Overhead; length < sealedObject.Length; length++)
        {
            var truncated = sealedObject.AsSpan(0, length).ToArray();
            Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, truncated, 1024));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Unknown_version_is_unsupported_and_names_both_versions(byte version)
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);
        sealedObject[0] = version;

        var ex = Assert.Throws<UnsupportedFormatException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));

        Assert.Equal("envelope version", ex.Feature);
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Found);
        Assert.Contains("Upgrade ForgeOne", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_version_is_unsupported_even_when_short()
    {
        // A future version may have a shorter header; its length proves nothing.
        var ex = Assert.Throws<UnsupportedFormatException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, new byte[] { 9 }, 16));
        Assert.Equal("envelope version", ex.Feature);
    }

    [Fact]
    public void Unknown_algorithm_is_unsupported()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);
        sealedObject[1] = 2;

        var ex = Assert.Throws<UnsupportedFormatException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));

        Assert.Equal("envelope algorithm", ex.Feature);
        Assert.Equal("2", ex.Found);
    }

    [Fact]
    public void Relabelled_object_fails_to_open()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);
        var otherId = (byte[])ChunkId.Clone();
        otherId[^1] ^= 1;

        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Tree, ChunkId, sealedObject, 16));
        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, otherId, sealedObject, 16));
        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, ChunkId.AsSpan(0, 31), sealedObject, 16));
        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, [], sealedObject, 16));
    }

    [Fact]
    public void Object_with_empty_id_opens_only_with_empty_id()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Config, [], [42]);

        Assert.Equal([42], _opener.Open(ObjectKind.Config, [], sealedObject, 1));
        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Config, [0], sealedObject, 1));
    }

    [Fact]
    public void Long_ids_are_bound_too()
    {
        var longId = RandomNumberGenerator.GetBytes(1000);
        var sealedObject = _sealer.Seal(ObjectKind.Evidence, longId, [7]);

        Assert.Equal([7], _opener.Open(ObjectKind.Evidence, longId, sealedObject, 1));
        longId[999] ^= 1;
        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Evidence, longId, sealedObject, 1));
    }

    [Fact]
    public void Object_sealed_under_another_key_fails_authentication()
    {
        using var stranger = new ObjectSealer(RandomNumberGenerator.GetBytes(32));
        var sealedObject = stranger.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);

        Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("compressible")]
    public void Plaintext_over_the_readers_limit_is_refused(string name)
    {
        var plaintext = MakePlaintext(name, 10_000);
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext);

        var ex = Assert.Throws<ObjectTooLargeException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 9_999));
        Assert.Equal(9_999, ex.Limit);
        Assert.Throws<ObjectTooLargeException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, new byte[9_999]));
        Assert.IsAssignableFrom<IntegrityException>(ex);
    }

    [Fact]
    public void Compressed_object_opens_when_the_frame_does_not_declare_its_size()
    {
        var plaintext = MakePlaintext("compressible", 50_000);
        var sealedObject = BuildByHand(codec: Envelope.CodecZstd, body: StreamingFrame(plaintext));

        Assert.Equal(plaintext, _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 1 << 20));
        Assert.Throws<ObjectTooLargeException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 49_999));
    }

    [Fact]
    public void Authentic_body_that_does_not_decompress_is_malformed()
    {
        // Claims to be a zstd frame (right magic number) but no zstd reader accepts it.
        var sealedObject = BuildByHand(codec: Envelope.CodecZstd, body: [0x28, 0xB5, 0x2F, 0xFD, 9, 9, 9, 9, 9, 9, 9, 9]);

        var ex = Assert.Throws<MalformedObjectException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 4096));
        Assert.Equal(ObjectKind.Chunk, ex.Kind);
    }

    [Fact]
    public void Hand_built_envelope_following_the_documented_format_opens()
    {
        // Builds version 1 from docs/design.md alone, so the sealer and the spec cannot drift apart together.
        var sealedObject = BuildByHand(codec: Envelope.CodecStored, body: [0xAA, 0xBB]);

        Assert.Equal([0xAA, 0xBB], _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));
    }

    [Fact]
    public void Unknown_codec_inside_an_authentic_object_is_unsupported()
    {
        var sealedObject = BuildByHand(codec: 7, body: [0xAA]);

        var ex = Assert.Throws<UnsupportedFormatException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));
        Assert.Equal("compression codec", ex.Feature);
        Assert.Equal("7", ex.Found);
    }

    [Fact]
    public void Sealer_rolls_to_a_new_session_after_its_limit()
    {
        using var sealer = new ObjectSealer(_key, null, sealsPerSession: 3);

        var sealedObjects = Enumerable.Range(0, 7).Select(i => sealer.Seal(ObjectKind.Chunk, ChunkId, [(byte)i])).ToList();
        var sessions = sealedObjects.Select(o => Convert.ToHexString(o, 2, 16)).ToList();

        Assert.Single(sessions.Take(3).Distinct());
        Assert.Single(sessions.Skip(3).Take(3).Distinct());
        Assert.Equal(3, sessions.Distinct().Count());
        Assert.NotEqual(sessions[2], sessions[3]);
        for (var i = 0; i < sealedObjects.Count; i++)
        {
            Assert.Equal([(byte)i], _opener.Open(ObjectKind.Chunk, ChunkId, sealedObjects[i], 1));
        }
    }

    [Fact]
    public void Concurrent_sealing_across_rollovers_and_a_small_session_cache_stays_correct()
    {
        using var sealer = new ObjectSealer(_key, null, sealsPerSession: 5);
        using var opener = new ObjectOpener(_key, sessionCacheCapacity: 2);
        var results = new byte[400][];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var id = BitConverter.GetBytes(i);
            results[i] = sealer.Seal(ObjectKind.Chunk, id, BitConverter.GetBytes(i * 7));
        });
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var id = BitConverter.GetBytes(i);
            Assert.Equal(i * 7, BinaryPrimitives.ReadInt32LittleEndian(opener.Open(ObjectKind.Chunk, id, results[i], 4)));
        });

        Assert.True(opener.CachedSessionCount <= 2);
        Assert.True(results.Select(r => Convert.ToHexString(r, 2, 16)).Distinct().Count() >= results.Length / 5);
    }

    [Fact]
    public void Span_seal_needs_room_for_the_overhead()
    {
        var plaintext = new byte[100];

        Assert.Throws<ArgumentException>(() => _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext, new byte[146]));
        Assert.InRange(_sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext, new byte[147]), 1, 147);
    }

    [Fact]
    public void Overlapping_plaintext_and_destination_are_refused()
    {
        var buffer = new byte[300];

        Assert.Throws<ArgumentException>(() => _sealer.Seal(ObjectKind.Chunk, ChunkId, buffer.AsSpan(0, 100), buffer));
    }

    [Fact]
    public void Open_may_write_over_its_own_input()
    {
        var plaintext = MakePlaintext("random", 500);
        var buffer = _sealer.Seal(ObjectKind.Chunk, ChunkId, plaintext);

        var written = _opener.Open(ObjectKind.Chunk, ChunkId, buffer, buffer);

        Assert.Equal(plaintext, buffer.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void Disposed_sealer_and_opener_refuse_work()
    {
        var sealer = new ObjectSealer(_key);
        var opener = new ObjectOpener(_key);
        var sealedObject = sealer.Seal(ObjectKind.Chunk, ChunkId, [1]);
        sealer.Dispose();
        opener.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sealer.Seal(ObjectKind.Chunk, ChunkId, [1]));
        Assert.Throws<ObjectDisposedException>(() => opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 1));
    }

    [Fact]
    public void Key_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ObjectSealer(new byte[16]));
        Assert.Throws<ArgumentException>(() => new ObjectOpener(new byte[31]));
    }

    [Fact]
    public void Failure_messages_name_the_object_and_never_the_key()
    {
        var sealedObject = _sealer.Seal(ObjectKind.Chunk, ChunkId, [1, 2, 3]);
        sealedObject[^1] ^= 1;

        var ex = Assert.Throws<ObjectAuthenticationException>(() => _opener.Open(ObjectKind.Chunk, ChunkId, sealedObject, 16));

        Assert.Contains("Chunk 3f2a91c0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(_key), ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(_key), ex.Message, StringComparison.Ordinal);
    }

    private byte[] BuildByHand(byte codec, byte[] body)
    {
        var session = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var sessionKey = new byte[32];
        Blake3.KeyedHash(_key, [.. "ForgeOne session v1"u8, .. session], sessionKey);

        byte[] header = [1, 1, .. session, .. nonce];
        var idLength = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(idLength, (ushort)ChunkId.Length);
        byte[] aad = [.. "FGO1"u8, (byte)ObjectKind.Chunk, .. idLength, .. ChunkId, 1, 1, .. session];

        byte[] inner = [codec, .. body];
        var ciphertext = new byte[inner.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(sessionKey, 16);
        aes.Encrypt(nonce, inner, ciphertext, tag, aad);
        return [.. header, .. ciphertext, .. tag];
    }

    /// <summary>Decrypts a sealed chunk by the documented format alone and returns <c>codec || body</c>.</summary>
    private byte[] InnerPlaintextByHand(byte[] sealedObject)
    {
        var session = sealedObject.AsSpan(2, 16).ToArray();
        var nonce = sealedObject.AsSpan(18, 12).ToArray();
        var sessionKey = new byte[32];
        Blake3.KeyedHash(_key, [.. "ForgeOne session v1"u8, .. session], sessionKey);

        var idLength = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(idLength, (ushort)ChunkId.Length);
        byte[] aad = [.. "FGO1"u8, (byte)ObjectKind.Chunk, .. idLength, .. ChunkId, 1, 1, .. session];

        var inner = new byte[sealedObject.Length - 30 - 16];
        using var aes = new AesGcm(sessionKey, 16);
        aes.Decrypt(nonce, sealedObject.AsSpan(30, inner.Length), sealedObject.AsSpan(sealedObject.Length - 16), inner, aad);
        return inner;
    }

    private static byte[] ZstdFrame(byte[] plaintext)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(plaintext).ToArray();
    }

    /// <summary>Compresses the way a streaming writer does: the frame header does not declare the size.</summary>
    private static byte[] StreamingFrame(byte[] plaintext)
    {
        using var buffer = new MemoryStream();
        using (var stream = new ZstdSharp.CompressionStream(buffer, 3, leaveOpen: true))
        {
            stream.Write(plaintext);
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Design_document_example_opens()
    {
        // docs/design.md, "Envelope format", "Worked example": the bytes there are this test's vector.
        var purposeKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var sealedObject = Convert.FromHexString(
            "0101a0a1a2a3a4a5a6a7a8a9aaabacadaeafc0c1c2c3c4c5c6c7c8c9cacb04b8c570058a225dffcba6e0c4074487f7d1f439042b");
        using var opener = new ObjectOpener(purposeKey);

        var plaintext = opener.Open(ObjectKind.Chunk, Convert.FromHexString("deadbeef"), sealedObject, 1024);

        Assert.Equal("hello"u8.ToArray(), plaintext);
    }
}
