using System.Diagnostics.CodeAnalysis;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Audit;

/// <summary>
/// The public half of a log's Ed25519 audit signing key: 32 bytes, shown as 64 lower-case hex digits. Anyone holding
/// it can check a record's signature without the repository's credentials.
/// </summary>
/// <remarks>
/// <para>Published as <c>audit/key</c> in the repository and copied into evidence packages. A verifier must take the
/// key from a source it trusts, never from the log it checks.</para>
/// <para>libsodium verifies where the native library loads (<see cref="SodiumEd25519"/>), BouncyCastle otherwise.
/// A key parses when BouncyCastle would take it, on every platform: libsodium accepts the keys honest signers have
/// (points of the prime-order subgroup) without loading BouncyCastle, and only bytes it refuses are put to
/// BouncyCastle, which also takes points with a small-order component.</para>
/// </remarks>
public sealed class AuditPublicKey : IEquatable<AuditPublicKey>
{
    /// <summary>Length of the key in bytes.</summary>
    public const int Size = 32;

    /// <summary>Length of a signature in bytes.</summary>
    public const int SignatureSize = 64;

    private readonly byte[] _key;

    // BouncyCastle's parsed key, made by the first verification that falls back to it; typed object so that this
    // class names no BouncyCastle type and the libsodium path never loads that assembly.
    private object? _bouncyCastleKey;

    private AuditPublicKey(byte[] key)
    {
        _key = key;
    }

    /// <summary>The key as 64 lower-case hex digits.</summary>
    public string Hex => ObjectNames.ToHex(_key);

    /// <summary>Creates a key from its 32 bytes.</summary>
    /// <param name="key">The encoded Ed25519 public key (RFC 8032).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes, or is not a point on the curve.</exception>
    public static AuditPublicKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"An Ed25519 public key is {Size} bytes, not {key.Length}.", nameof(key));
        }

        var honest = SodiumEd25519.TryIsValidPoint(key, out var valid) && valid;
        if (!honest && !BouncyCastleEd25519.IsValidPublicKey(key))
        {
            throw new ArgumentException(
                "The bytes are not an Ed25519 public key (not a point on the curve, or a point of small order).", nameof(key));
        }

        return new AuditPublicKey(key.ToArray());
    }

    /// <summary>Wraps a public key just computed from a seed, which needs no check.</summary>
    internal static AuditPublicKey FromDerivedBytes(ReadOnlySpan<byte> key) => new(key.ToArray());

    /// <summary>Parses a key from 64 hex digits (either case).</summary>
    /// <param name="hex">The key in hex, as published in <c>audit/key</c> or an evidence package.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException"><paramref name="hex"/> is not 64 hex digits of an Ed25519 public key.</exception>
    public static AuditPublicKey Parse(string hex) =>
        TryParse(hex, out var key)
            ? key
            : throw new FormatException(
                $"'{hex}' is not an audit public key: it is 64 hex digits, as in the repository's audit/key object or an " +
                "evidence package.");

    /// <summary>Tries to parse a key from 64 hex digits (either case).</summary>
    /// <param name="hex">The text.</param>
    /// <param name="key">The key, when the text is one.</param>
    /// <returns>True when it is.</returns>
    public static bool TryParse(string? hex, [NotNullWhen(true)] out AuditPublicKey? key)
    {
        key = null;
        if (hex is null || hex.Length != Size * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        try
        {
            key = FromBytes(Convert.FromHexString(hex));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The key's 32 bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => (byte[])_key.Clone();

    /// <summary>Checks an Ed25519 signature over <paramref name="message"/>.</summary>
    /// <param name="message">What was signed (for audit records: the 32-byte record hash).</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>True when the signature is valid for this key; false for any other signature, including one of the
    /// wrong length.</returns>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        return SodiumEd25519.TryVerify(_key, message, signature, out var valid) ? valid : VerifyWithBouncyCastle(message, signature);
    }

    /// <summary>Checks a 64-byte signature with BouncyCastle: the fallback of <see cref="Verify"/>, and for tests.</summary>
    internal bool VerifyWithBouncyCastle(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var parsed = Volatile.Read(ref _bouncyCastleKey);
        if (parsed is null)
        {
            // Two threads may both parse; the results are equal and immutable, so either may stay.
            parsed = BouncyCastleEd25519.CreatePublicKey(_key);
            Volatile.Write(ref _bouncyCastleKey, parsed);
        }

        return BouncyCastleEd25519.Verify(parsed, message, signature);
    }

    /// <summary>Compares the key bytes.</summary>
    /// <param name="other">The other key.</param>
    /// <returns>True when both are the same key.</returns>
    public bool Equals(AuditPublicKey? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AuditPublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_key, 0);

    /// <summary>The key as 64 lower-case hex digits.</summary>
    /// <returns><see cref="Hex"/>.</returns>
    public override string ToString() => Hex;
}
