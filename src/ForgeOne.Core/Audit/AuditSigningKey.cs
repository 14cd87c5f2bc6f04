using System.Security.Cryptography;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Audit;

/// <summary>
/// A log's Ed25519 audit signing key. Its 32-byte seed is <c>BLAKE3.derive_key("ForgeOne 2026-11-24 audit signing
/// v1", master key)</c> (<see cref="KeyPurpose.AuditSigning"/>), so every holder of the master key has the same key
/// and nothing extra is stored.
/// </summary>
/// <remarks>
/// Signing is RFC 8032 Ed25519 (pure, no context), which .NET does not provide: libsodium computes it where the native
/// library loads (<see cref="SodiumEd25519"/>), BouncyCastle otherwise, with the same signatures. The key is kept as
/// libsodium's 64-byte secret key (seed || public key) in a pinned array, zeroed by <see cref="Dispose"/>; on the
/// BouncyCastle path its key object keeps its own copy of the seed, which cannot be zeroed (docs/design.md, "Audit
/// log"). Thread-safe.
/// </remarks>
public sealed class AuditSigningKey : IDisposable
{
    private const int SeedSize = SodiumEd25519.SeedSize;

    private readonly byte[] _secretKey = GC.AllocateUninitializedArray<byte>(SodiumEd25519.SecretKeySize, pinned: true);

    // BouncyCastle's private key when libsodium is not used, typed object so that this class names no BouncyCastle
    // type and the libsodium path never loads that assembly.
    private readonly object? _bouncyCastleKey;
    private int _disposed;

    private AuditSigningKey(ReadOnlySpan<byte> seed, bool useLibsodium)
    {
        var publicKey = _secretKey.AsSpan(SeedSize);
        if (!useLibsodium || !SodiumEd25519.TryCreateKeyPair(seed, publicKey, _secretKey))
        {
            seed.CopyTo(_secretKey);
            _bouncyCastleKey = BouncyCastleEd25519.CreatePrivateKey(seed, publicKey);
        }

        PublicKey = AuditPublicKey.FromDerivedBytes(publicKey);
    }

    /// <summary>The public half, to publish and to verify with.</summary>
    public AuditPublicKey PublicKey { get; }

    /// <summary>True when this key signs with BouncyCastle rather than libsodium; for tests.</summary>
    internal bool UsesBouncyCastle => _bouncyCastleKey is not null;

    /// <summary>Derives the audit signing key from a master key (<see cref="KeyPurpose.AuditSigning"/>).</summary>
    /// <param name="masterKey">The repository's or store's master key.</param>
    /// <returns>A key the caller must dispose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="masterKey"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="masterKey"/> was disposed.</exception>
    public static AuditSigningKey FromMasterKey(MasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        Span<byte> seed = stackalloc byte[MasterKey.Size];
        try
        {
            masterKey.DeriveSubkey(KeyPurpose.AuditSigning, seed);
            return new AuditSigningKey(seed, useLibsodium: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Creates a key from a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    /// <param name="seed">The seed; copied.</param>
    /// <returns>A key the caller must dispose.</returns>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes.</exception>
    public static AuditSigningKey FromSeed(ReadOnlySpan<byte> seed) => FromSeed(seed, useLibsodium: true);

    /// <summary>Creates a key that signs with BouncyCastle even where libsodium loads, so tests can compare the two.</summary>
    internal static AuditSigningKey FromSeedWithBouncyCastle(ReadOnlySpan<byte> seed) => FromSeed(seed, useLibsodium: false);

    /// <summary>Signs <paramref name="message"/> (for audit records: the 32-byte record hash).</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <returns>The 64-byte Ed25519 signature; deterministic, so equal messages get equal signatures.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_bouncyCastleKey is not null)
        {
            return BouncyCastleEd25519.Sign(_bouncyCastleKey, message);
        }

        var signature = new byte[AuditPublicKey.SignatureSize];
        if (!SodiumEd25519.TrySign(_secretKey, message, signature))
        {
            // Unreachable: the key pair came from libsodium, so the library is loaded for good.
            throw new InvalidOperationException("libsodium made this audit key but is no longer available.");
        }

        return signature;
    }

    /// <summary>Never shows the key.</summary>
    /// <returns><c>AuditSigningKey(</c> and the public key <c>)</c>.</returns>
    public override string ToString() => $"AuditSigningKey({PublicKey})";

    /// <summary>Zeroes the key. Later calls to <see cref="Sign"/> throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_secretKey);
        }
    }

    private static AuditSigningKey FromSeed(ReadOnlySpan<byte> seed, bool useLibsodium)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, not {seed.Length}.", nameof(seed));
        }

        return new AuditSigningKey(seed, useLibsodium);
    }
}
