using System.Runtime.InteropServices;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Ed25519 (RFC 8032, pure, no context) through libsodium's <c>crypto_sign</c>, the fast path of the audit log's
/// signing and verifying keys (<see cref="Audit.AuditSigningKey"/>, <see cref="Audit.AuditPublicKey"/>).
/// </summary>
/// <remarks>
/// <para>Every backup, restore, check and prune signs one audit record, and verifying the log verifies every record.
/// BouncyCastle's Ed25519 gives the same signatures (Ed25519 is deterministic), but loading its 5 MB assembly and
/// building its tables costs a short command start-up time and about 4 MiB of memory; libsodium is loaded anyway for
/// Argon2id (<see cref="Sodium"/>). Every method returns false when the library is not available, and the caller
/// then uses BouncyCastle.</para>
/// <para>Both libraries accept every signature an RFC 8032 signer makes and reject a non-canonical S. They may differ
/// only on signatures crafted around small-order points, which libsodium refuses outright (as R, or as a public key
/// with a small-order component, which BouncyCastle parses); no honest signer makes those.</para>
/// </remarks>
internal static partial class SodiumEd25519
{
    /// <summary>crypto_sign_SEEDBYTES: the RFC 8032 private key.</summary>
    internal const int SeedSize = 32;

    /// <summary>crypto_sign_PUBLICKEYBYTES.</summary>
    internal const int PublicKeySize = 32;

    /// <summary>crypto_sign_SECRETKEYBYTES: libsodium's secret key, the seed followed by the public key.</summary>
    internal const int SecretKeySize = 64;

    /// <summary>crypto_sign_BYTES.</summary>
    internal const int SignatureSize = 64;

    /// <summary>True when libsodium was loaded and initialised in this process.</summary>
    internal static bool IsAvailable => Sodium.IsAvailable;

    /// <summary>
    /// Expands a 32-byte seed into libsodium's 64-byte secret key (seed || public key) and the 32-byte public key, or
    /// returns false when libsodium is not available.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    internal static unsafe bool TryCreateKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        RequireLength(seed, SeedSize, nameof(seed));
        RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        RequireLength(secretKey, SecretKeySize, nameof(secretKey));
        if (!Sodium.IsAvailable)
        {
            return false;
        }

        fixed (byte* seedPointer = seed)
        fixed (byte* publicKeyPointer = publicKey)
        fixed (byte* secretKeyPointer = secretKey)
        {
            return SeedKeyPair(publicKeyPointer, secretKeyPointer, seedPointer) == 0;
        }
    }

    /// <summary>
    /// Writes the 64-byte signature of <paramref name="message"/> under <paramref name="secretKey"/> (as made by
    /// <see cref="TryCreateKeyPair"/>), or returns false when libsodium is not available.
    /// </summary>
    /// <exception cref="ArgumentException">A key or the signature span has the wrong length.</exception>
    internal static unsafe bool TrySign(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        RequireLength(secretKey, SecretKeySize, nameof(secretKey));
        RequireLength(signature, SignatureSize, nameof(signature));
        if (!Sodium.IsAvailable)
        {
            return false;
        }

        // A 1-byte stand-in keeps the pointer non-null for an empty message; libsodium reads mlen = 0 bytes.
        ReadOnlySpan<byte> messageOrStandIn = message.IsEmpty ? stackalloc byte[1] : message;
        fixed (byte* signaturePointer = signature)
        fixed (byte* messagePointer = messageOrStandIn)
        fixed (byte* secretKeyPointer = secretKey)
        {
            return SignDetached(signaturePointer, null, messagePointer, (ulong)message.Length, secretKeyPointer) == 0;
        }
    }

    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="message"/> under <paramref name="publicKey"/>, setting
    /// <paramref name="valid"/>; returns false (and <paramref name="valid"/> false) when libsodium is not available.
    /// </summary>
    /// <exception cref="ArgumentException">The key or signature has the wrong length.</exception>
    internal static unsafe bool TryVerify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out bool valid)
    {
        RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        RequireLength(signature, SignatureSize, nameof(signature));
        valid = false;
        if (!Sodium.IsAvailable)
        {
            return false;
        }

        ReadOnlySpan<byte> messageOrStandIn = message.IsEmpty ? stackalloc byte[1] : message;
        fixed (byte* signaturePointer = signature)
        fixed (byte* messagePointer = messageOrStandIn)
        fixed (byte* publicKeyPointer = publicKey)
        {
            valid = VerifyDetached(signaturePointer, messagePointer, (ulong)message.Length, publicKeyPointer) == 0;
            return true;
        }
    }

    /// <summary>
    /// Whether 32 bytes are a canonical encoding of a point of the prime-order subgroup, the keys every honest signer
    /// has (libsodium's <c>crypto_core_ed25519_is_valid_point</c>); false with <paramref name="valid"/> unset when
    /// libsodium is not available.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="publicKey"/> is not 32 bytes.</exception>
    internal static unsafe bool TryIsValidPoint(ReadOnlySpan<byte> publicKey, out bool valid)
    {
        RequireLength(publicKey, PublicKeySize, nameof(publicKey));
        valid = false;
        if (!Sodium.IsAvailable)
        {
            return false;
        }

        fixed (byte* publicKeyPointer = publicKey)
        {
            valid = IsValidPoint(publicKeyPointer) == 1;
            return true;
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> span, int length, string name)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"An Ed25519 {name} is {length} bytes, not {span.Length}.", name);
        }
    }

    [LibraryImport(Sodium.Library, EntryPoint = "crypto_sign_seed_keypair")]
    private static unsafe partial int SeedKeyPair(byte* publicKey, byte* secretKey, byte* seed);

    [LibraryImport(Sodium.Library, EntryPoint = "crypto_sign_detached")]
    private static unsafe partial int SignDetached(byte* signature, ulong* signatureLength, byte* message, ulong messageLength, byte* secretKey);

    [LibraryImport(Sodium.Library, EntryPoint = "crypto_core_ed25519_is_valid_point")]
    private static unsafe partial int IsValidPoint(byte* point);

    [LibraryImport(Sodium.Library, EntryPoint = "crypto_sign_verify_detached")]
    private static unsafe partial int VerifyDetached(byte* signature, byte* message, ulong messageLength, byte* publicKey);
}
