using System.Security.Cryptography;
using ForgeOne.Core.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ForgeOne.Core.Audit;

/// <summary>
/// A log's Ed25519 audit signing key. Its 32-byte seed is <c>BLAKE3.derive_key("ForgeOne 2026-11-24 audit signing
/// v1", master key)</c> (<see cref="KeyPurpose.AuditSigning"/>), so every holder of the master key has the same key
/// and nothing extra is stored.
/// </summary>
/// <remarks>
/// Signing uses BouncyCastle's Ed25519 (RFC 8032, pure Ed25519, no context), which .NET does not provide. The seed
/// is kept in a pinned array and zeroed by <see cref="Dispose"/>; BouncyCastle's key object keeps its own copy, which
/// cannot be zeroed (docs/design.md, "Audit log"). Thread-safe: signing allocates a signer per call.
/// </remarks>
public sealed class AuditSigningKey : IDisposable
{
    private readonly byte[] _seed = GC.AllocateUninitializedArray<byte>(Ed25519PrivateKeyParameters.KeySize, pinned: true);
    private readonly Ed25519PrivateKeyParameters _privateKey;
    private int _disposed;

    private AuditSigningKey(ReadOnlySpan<byte> seed)
    {
        seed.CopyTo(_seed);
        _privateKey = new Ed25519PrivateKeyParameters(_seed);
        PublicKey = AuditPublicKey.FromBytes(_privateKey.GeneratePublicKey().GetEncoded());
    }

    /// <summary>The public half, to publish and to verify with.</summary>
    public AuditPublicKey PublicKey { get; }

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
            return new AuditSigningKey(seed);
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
    public static AuditSigningKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519PrivateKeyParameters.KeySize)
        {
            throw new ArgumentException(
                $"An Ed25519 seed is {Ed25519PrivateKeyParameters.KeySize} bytes, not {seed.Length}.", nameof(seed));
        }

        return new AuditSigningKey(seed);
    }

    /// <summary>Signs <paramref name="message"/> (for audit records: the 32-byte record hash).</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <returns>The 64-byte Ed25519 signature; deterministic, so equal messages get equal signatures.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>Never shows the key.</summary>
    /// <returns><c>AuditSigningKey(</c> and the public key <c>)</c>.</returns>
    public override string ToString() => $"AuditSigningKey({PublicKey})";

    /// <summary>Zeroes the seed. Later calls to <see cref="Sign"/> throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_seed);
        }
    }
}
