using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Tests.Crypto;

/// <summary>
/// libsodium's Argon2id must give exactly BouncyCastle's bytes, or slots made by one would not open with the other.
/// </summary>
/// <remarks>
/// RFC 9106 section 5.3's Argon2id vector does not apply: it uses a secret key and associated data, which neither
/// <c>crypto_pwhash</c> nor our slots take, and 4 lanes, where libsodium computes one. BouncyCastle, an independent
/// implementation, is the reference instead.
/// </remarks>
public sealed class SodiumArgon2Tests
{
    [Fact]
    public void Libsodium_loads_in_this_process()
    {
        // Fails when the package's native library no longer reaches the output folder, which would silently cost
        // every passphrase open 5 to 20 times the time.
        Assert.True(SodiumArgon2.IsAvailable);
    }

    [Theory]
    [InlineData(8, 1, 0, 32)]
    [InlineData(64, 1, 28, 16)]
    [InlineData(8 * 1024, 1, 1, 32)]
    [InlineData(12_345, 2, 17, 33)]
    [InlineData(19_456, 2, 28, 32)]
    [InlineData(32 * 1024, 3, 128, 64)]
    [InlineData(64 * 1024, 2, 300, 100)]
    public void Libsodium_gives_BouncyCastles_bytes(int memoryKiB, int iterations, int passwordLength, int outputLength)
    {
        var parameters = new Argon2Parameters(memoryKiB, iterations, parallelism: 1);
        var password = Bytes(passwordLength, seed: memoryKiB);
        var salt = Bytes(16, seed: iterations + outputLength);
        var native = new byte[outputLength];
        var managed = new byte[outputLength];

        Assert.True(SodiumArgon2.TryDeriveKey(parameters, password, salt, native));
        parameters.DeriveKeyWithBouncyCastle(password, salt, managed);

        Assert.Equal(Convert.ToHexString(managed), Convert.ToHexString(native));
    }

    [Fact]
    public void Default_costs_derive_with_libsodium_and_match_BouncyCastle()
    {
        var password = "correct horse battery staple"u8.ToArray();
        var salt = Bytes(16, seed: 7);
        var derived = new byte[32];
        var managed = new byte[32];

        Argon2Parameters.Default.DeriveKey(password, salt, derived);
        Argon2Parameters.Default.DeriveKeyWithBouncyCastle(password, salt, managed);

        Assert.True(SodiumArgon2.TryDeriveKey(Argon2Parameters.Default, password, salt, new byte[32]));
        Assert.Equal(managed, derived);
    }

    [Fact]
    public void Two_lanes_fall_back_to_BouncyCastle_and_keep_its_bytes()
    {
        var derived = AssertFallsBackToBouncyCastle(new Argon2Parameters(memoryKiB: 8 * 1024, iterations: 2, parallelism: 2), Bytes(20, seed: 1), Bytes(16, seed: 2), 32);

        Assert.NotEqual(new byte[32], derived);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(64)]
    public void Salts_other_than_16_bytes_fall_back_to_BouncyCastle(int saltLength)
    {
        // Readers accept 16 to 64 bytes of salt; libsodium takes exactly 16.
        AssertFallsBackToBouncyCastle(new Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1), Bytes(20, seed: 3), Bytes(saltLength, seed: 4), 32);
    }

    [Fact]
    public void Outputs_shorter_than_libsodiums_minimum_fall_back_to_BouncyCastle()
    {
        AssertFallsBackToBouncyCastle(new Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1), Bytes(8, seed: 5), Bytes(16, seed: 6), 8);
    }

    // libsodium refuses the inputs, and DeriveKey gives exactly BouncyCastle's bytes for them.
    private static byte[] AssertFallsBackToBouncyCastle(Argon2Parameters parameters, byte[] password, byte[] salt, int outputLength)
    {
        var derived = new byte[outputLength];
        var managed = new byte[outputLength];

        Assert.False(SodiumArgon2.TryDeriveKey(parameters, password, salt, new byte[outputLength]));
        parameters.DeriveKey(password, salt, derived);
        parameters.DeriveKeyWithBouncyCastle(password, salt, managed);

        Assert.Equal(managed, derived);
        return derived;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
