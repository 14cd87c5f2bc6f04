using System.Security.Cryptography;
using System.Text;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// TEMPORARY stand-in for BLAKE3 with the same members as the real implementation, so the key
/// hierarchy compiles and its tests run before the real BLAKE3 lands. Outputs are NOT BLAKE3.
/// </summary>
/// <remarks>
/// Built from HMAC-SHA-256 and HKDF-Expand only because they ship with .NET. The lead drops this file
/// at merge in favour of the real <c>Blake3.cs</c>; nothing may persist data produced with it.
/// </remarks>
public static class Blake3
{
    /// <summary>Default output length in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>Length in bytes of the key taken by <see cref="KeyedHash"/>.</summary>
    public const int KeySize = 32;

    private static readonly byte[] HashInfo = Encoding.ASCII.GetBytes("placeholder hash");
    private static readonly byte[] KeyedInfo = Encoding.ASCII.GetBytes("placeholder keyed");
    private static readonly byte[] DeriveInfo = Encoding.ASCII.GetBytes("placeholder derive");

    /// <summary>Hashes <paramref name="input"/> to <see cref="HashSize"/> bytes.</summary>
    /// <param name="input">Bytes to hash.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] Hash(ReadOnlySpan<byte> input)
    {
        var output = new byte[HashSize];
        Hash(input, output);
        return output;
    }

    /// <summary>Hashes <paramref name="input"/>, filling all of <paramref name="output"/>.</summary>
    /// <param name="input">Bytes to hash.</param>
    /// <param name="output">Receives the hash; any length up to 8160 bytes in this placeholder.</param>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[32];
        SHA256.HashData(input, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, HashInfo);
    }

    /// <summary>Keyed hash (a PRF/MAC) of <paramref name="input"/> under a 32-byte key.</summary>
    /// <param name="key">Exactly <see cref="KeySize"/> bytes.</param>
    /// <param name="input">Bytes to hash.</param>
    /// <param name="output">Receives the hash; any length up to 8160 bytes in this placeholder.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public static void KeyedHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A BLAKE3 key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        Span<byte> prk = stackalloc byte[32];
        HMACSHA256.HashData(key, input, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, KeyedInfo);
    }

    /// <summary>Derives key material for the given context string from <paramref name="keyMaterial"/>.</summary>
    /// <param name="context">A hard-coded, globally unique, application-specific context string.</param>
    /// <param name="keyMaterial">Input key material.</param>
    /// <param name="output">Receives the derived key; any length up to 8160 bytes in this placeholder.</param>
    public static void DeriveKey(string context, ReadOnlySpan<byte> keyMaterial, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(context);
        Span<byte> contextKey = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(context), contextKey);
        Span<byte> prk = stackalloc byte[32];
        HMACSHA256.HashData(contextKey, keyMaterial, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, DeriveInfo);
        CryptographicOperations.ZeroMemory(prk);
    }
}
