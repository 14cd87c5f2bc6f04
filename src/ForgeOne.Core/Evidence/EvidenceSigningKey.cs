using System.Security.Cryptography;
using ForgeOne.Core.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ForgeOne.Core.Evidence;

/// <summary>
/// The repository's Ed25519 signing key: its 32-byte seed is the master key's <see cref="KeyPurpose.AuditSigning"/>
/// subkey, so anyone with the repository's credentials signs with the same key and anyone with the public half
/// (in every evidence package) can verify offline.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    private readonly byte[] _seed;
    private readonly Ed25519PrivateKeyParameters _privateKey;

    private EvidenceSigningKey(byte[] seed)
    {
        _seed = seed;
        _privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        PublicKey = _privateKey.GeneratePublicKey().GetEncoded();
    }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The public key as lowercase hex.</summary>
    public string PublicKeyHex => ObjectNames.ToHex(PublicKey);

    /// <summary>The signing key of an open repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The key; dispose it.</returns>
    public static EvidenceSigningKey For(Repository.Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return new EvidenceSigningKey(repository.DeriveSubkey(KeyPurpose.AuditSigning));
    }

    /// <summary>Signs <paramref name="message"/>.</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _privateKey);
        var bytes = message.ToArray();
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return signer.GenerateSignature();
    }

    /// <summary>Checks an Ed25519 signature.</summary>
    /// <param name="publicKey">The 32-byte public key.</param>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>True when it verifies.</returns>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(publicKey.ToArray(), 0));
        var bytes = message.ToArray();
        verifier.BlockUpdate(bytes, 0, bytes.Length);
        return verifier.VerifySignature(signature.ToArray());
    }

    /// <summary>Zeroes the seed.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_seed);
}
