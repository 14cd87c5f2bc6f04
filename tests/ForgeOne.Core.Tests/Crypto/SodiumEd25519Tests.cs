using System.Reflection;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>
/// libsodium's Ed25519 must give exactly BouncyCastle's signatures and verdicts, or a log signed on one platform would
/// not verify on another; both must pass RFC 8032's own vectors.
/// </summary>
public sealed class SodiumEd25519Tests
{
    // RFC 8032 section 7.1, TEST 1 to 3: secret key (seed), public key, message, signature.
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Fact]
    public void Libsodium_loads_and_audit_keys_sign_with_it()
    {
        // Fails when the native library no longer reaches the output folder, which would silently bring BouncyCastle
        // back into every command.
        Assert.True(SodiumEd25519.IsAvailable);
        using var key = AuditSigningKey.FromSeed(Bytes(32, seed: 1));

        Assert.False(key.UsesBouncyCastle);
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rfc8032_vectors_sign_and_verify_through_libsodium(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        var seed = Convert.FromHexString(seedHex);
        var message = Convert.FromHexString(messageHex);
        var publicKey = new byte[SodiumEd25519.PublicKeySize];
        var secretKey = new byte[SodiumEd25519.SecretKeySize];
        var signature = new byte[SodiumEd25519.SignatureSize];

        Assert.True(SodiumEd25519.TryCreateKeyPair(seed, publicKey, secretKey));
        Assert.True(SodiumEd25519.TrySign(secretKey, message, signature));
        Assert.True(SodiumEd25519.TryVerify(publicKey, message, signature, out var valid));

        Assert.Equal(publicKeyHex, Convert.ToHexStringLower(publicKey));
        Assert.Equal(seedHex + publicKeyHex, Convert.ToHexStringLower(secretKey));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(signature));
        Assert.True(valid);

        using var key = AuditSigningKey.FromSeed(seed);
        Assert.False(key.UsesBouncyCastle);
        Assert.Equal(publicKeyHex, key.PublicKey.Hex);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(key.Sign(message)));
        Assert.True(AuditPublicKey.Parse(publicKeyHex).Verify(message, Convert.FromHexString(signatureHex)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rfc8032_vectors_sign_and_verify_through_the_BouncyCastle_fallback(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        var message = Convert.FromHexString(messageHex);
        using var key = AuditSigningKey.FromSeedWithBouncyCastle(Convert.FromHexString(seedHex));

        Assert.True(key.UsesBouncyCastle);
        Assert.Equal(publicKeyHex, key.PublicKey.Hex);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(key.Sign(message)));
        Assert.True(AuditPublicKey.Parse(publicKeyHex).VerifyWithBouncyCastle(message, Convert.FromHexString(signatureHex)));
    }

    [Fact]
    public void Libsodium_and_BouncyCastle_give_the_same_keys_and_signatures_and_accept_each_others()
    {
        var random = new Random(8032);
        for (var i = 0; i < 200; i++)
        {
            var seed = new byte[32];
            random.NextBytes(seed);
            var message = new byte[random.Next(0, i < 100 ? 64 : 4096)];
            random.NextBytes(message);
            using var native = AuditSigningKey.FromSeed(seed);
            using var managed = AuditSigningKey.FromSeedWithBouncyCastle(seed);

            var nativeSignature = native.Sign(message);
            var managedSignature = managed.Sign(message);

            Assert.Equal(managed.PublicKey, native.PublicKey);
            Assert.Equal(Convert.ToHexString(managedSignature), Convert.ToHexString(nativeSignature));
            Assert.True(native.PublicKey.Verify(message, managedSignature));
            Assert.True(managed.PublicKey.VerifyWithBouncyCastle(message, nativeSignature));
        }
    }

    [Fact]
    public void Verification_rejects_every_flipped_bit_of_message_signature_and_key()
    {
        using var key = AuditSigningKey.FromSeed(Bytes(32, seed: 2));
        var message = Bytes(32, seed: 3);
        var signature = key.Sign(message);
        var publicKey = key.PublicKey.ToArray();
        Assert.True(key.PublicKey.Verify(message, signature));
        Assert.True(key.PublicKey.VerifyWithBouncyCastle(message, signature));

        for (var bit = 0; bit < message.Length * 8; bit++)
        {
            var flipped = Flip(message, bit);
            Assert.False(key.PublicKey.Verify(flipped, signature), $"libsodium accepted message bit {bit} flipped");
            Assert.False(key.PublicKey.VerifyWithBouncyCastle(flipped, signature), $"BouncyCastle accepted message bit {bit} flipped");
        }

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var flipped = Flip(signature, bit);
            Assert.False(key.PublicKey.Verify(message, flipped), $"libsodium accepted signature bit {bit} flipped");
            Assert.False(key.PublicKey.VerifyWithBouncyCastle(message, flipped), $"BouncyCastle accepted signature bit {bit} flipped");
        }

        var parsed = 0;
        for (var bit = 0; bit < publicKey.Length * 8; bit++)
        {
            var flipped = Flip(publicKey, bit);
            Assert.True(SodiumEd25519.TryVerify(flipped, message, signature, out var valid));
            Assert.False(valid, $"libsodium accepted key bit {bit} flipped");

            // About half of all flips leave no curve point, which FromBytes refuses before any signature is checked.
            if (BouncyCastleAccepts(flipped))
            {
                parsed++;
                var other = AuditPublicKey.FromBytes(flipped);
                Assert.False(other.Verify(message, signature), $"libsodium accepted key bit {bit} flipped");
                Assert.False(other.VerifyWithBouncyCastle(message, signature), $"BouncyCastle accepted key bit {bit} flipped");
            }
            else
            {
                Assert.Throws<ArgumentException>(() => AuditPublicKey.FromBytes(flipped));
            }
        }

        Assert.InRange(parsed, 1, publicKey.Length * 8 - 1);
    }

    [Fact]
    public void Public_keys_parse_exactly_when_BouncyCastle_accepts_them()
    {
        // AuditPublicKey takes libsodium's word for keys of the prime-order subgroup (so the common path never loads
        // BouncyCastle) and asks BouncyCastle about the rest; a key must parse or fail the same way on every platform.
        // Random bytes are a curve point about half the time, an eighth of those in the prime-order subgroup; the
        // edge cases are the non-canonical encodings (y >= p) and the points of small order.
        var p = System.Numerics.BigInteger.Pow(2, 255) - 19;
        List<byte[]> candidates = [];
        var random = new Random(25519);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            candidates.Add(bytes);
        }

        foreach (var sign in new[] { 0, 0x80 })
        {
            for (var offset = 0; offset < 19; offset++)
            {
                candidates.Add(Encode(p + offset, sign));
            }

            foreach (var y in new[] { 0, 1, 2, 3, 4, p - 1, p - 2 })
            {
                candidates.Add(Encode(y, sign));
            }
        }

        candidates.Add(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
        candidates.Add(Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"));
        candidates.Add(Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
        candidates.Add(Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"));

        var accepted = 0;
        var honest = 0;
        foreach (var candidate in candidates)
        {
            var bouncyCastle = BouncyCastleAccepts(candidate);
            Assert.True(bouncyCastle == AuditPublicKey.TryParse(Convert.ToHexStringLower(candidate), out _),
                $"{Convert.ToHexStringLower(candidate)}: BouncyCastle {(bouncyCastle ? "accepts" : "refuses")} it, AuditPublicKey does not");
            if (SodiumEd25519.TryIsValidPoint(candidate, out var strict) && strict)
            {
                // What libsodium accepts, BouncyCastle accepts: the keys parsed without BouncyCastle are a subset.
                Assert.True(bouncyCastle, $"{Convert.ToHexStringLower(candidate)}: libsodium accepts a key BouncyCastle refuses");
                honest++;
            }
            accepted += bouncyCastle ? 1 : 0;
        }

        Assert.InRange(accepted, 800, 1200);
        Assert.InRange(honest, 60, 200);
    }

    [Fact]
    public void Dispose_zeroes_the_pinned_secret_key()
    {
        var seed = Bytes(32, seed: 4);
        var key = AuditSigningKey.FromSeed(seed);
        var secretKey = (byte[])typeof(AuditSigningKey).GetField("_secretKey", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(key)!;
        Assert.Equal(Convert.ToHexString(seed) + key.PublicKey.Hex.ToUpperInvariant(), Convert.ToHexString(secretKey));

        key.Dispose();

        Assert.Equal(new byte[64], secretKey);
        Assert.Throws<ObjectDisposedException>(() => key.Sign([1, 2, 3]));
    }

    private static bool BouncyCastleAccepts(byte[] key)
    {
        try
        {
            BouncyCastleEd25519.CreatePublicKey(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static byte[] Encode(System.Numerics.BigInteger y, int sign)
    {
        var bytes = new byte[32];
        Assert.True(y.TryWriteBytes(bytes, out _, isUnsigned: true));
        bytes[31] |= (byte)sign;
        return bytes;
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
