using System.Runtime.CompilerServices;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// The managed Ed25519 (BouncyCastle), for platforms where libsodium does not load (<see cref="SodiumEd25519"/>);
/// tests compare the two.
/// </summary>
/// <remarks>
/// <para>This is the only class of the audit keys that names a BouncyCastle type. The runtime loads an assembly when it
/// compiles a method that uses one of its types, so keeping every such use here, behind methods that are never
/// inlined and whose signatures use only spans and <see cref="object"/>, keeps BouncyCastle out of a process that has
/// libsodium.</para>
/// <para>Parsed keys are returned as <see cref="object"/> for the caller to keep, so that signing and verifying many
/// records does not repeat the key expansion.</para>
/// </remarks>
internal static class BouncyCastleEd25519
{
    /// <summary>Parses a seed into BouncyCastle's private key (which keeps its own copy, never zeroed) and writes the public key.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static object CreatePrivateKey(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        var privateKey = new Ed25519PrivateKeyParameters(seed);
        privateKey.GeneratePublicKey().Encode(publicKey);
        return privateKey;
    }

    /// <summary>Signs with a key from <see cref="CreatePrivateKey"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static byte[] Sign(object privateKey, ReadOnlySpan<byte> message)
    {
        // A signer buffers its message, so each call gets its own; the key parameters are immutable and shared.
        var signer = new Ed25519Signer();
        signer.Init(true, (Ed25519PrivateKeyParameters)privateKey);
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>Parses a public key.</summary>
    /// <exception cref="ArgumentException">BouncyCastle does not take the bytes as a key.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static object CreatePublicKey(ReadOnlySpan<byte> publicKey) => new Ed25519PublicKeyParameters(publicKey);

    /// <summary>Whether BouncyCastle takes 32 bytes as a public key: a canonical curve point not of small order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        try
        {
            _ = new Ed25519PublicKeyParameters(publicKey);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Checks a 64-byte signature with a key from <see cref="CreatePublicKey"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool Verify(object publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(false, (Ed25519PublicKeyParameters)publicKey);
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }
}
