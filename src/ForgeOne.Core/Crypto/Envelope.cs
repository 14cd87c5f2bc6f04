using System.Buffers.Binary;
using ForgeOne.Core.Compression;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// The sealed-object format, version 1:
/// <c>version:u8 (=1) || alg:u8 (=1) || session[16] || nonce[12] || ciphertext || tag[16]</c>,
/// where the ciphertext encrypts <c>codec:u8 || body</c>. <see cref="ObjectSealer"/> writes it and
/// <see cref="ObjectOpener"/> reads it; docs/design.md specifies it byte by byte.
/// </summary>
/// <remarks>
/// <para>Algorithm 1 is AES-256-GCM under a per-session key
/// <c>BLAKE3.keyed_hash(key, "ForgeOne session v1" || session)</c>, with a random 96-bit nonce per object.</para>
/// <para>Associated data binds where the object belongs:
/// <c>"FGO1" || kind:u8 || idLength:u16le || id || version:u8 || alg:u8 || session[16]</c>,
/// so an object moved to another kind or id fails to open.</para>
/// </remarks>
public static class Envelope
{
    /// <summary>The only envelope version this build reads and writes.</summary>
    public const byte Version = 1;

    /// <summary>Algorithm id 1: AES-256-GCM under a per-session subkey, 96-bit random nonces, 128-bit tags.</summary>
    public const byte AlgorithmAes256GcmSession = 1;

    /// <summary>Length of the random session salt in the header.</summary>
    public const int SessionLength = 16;

    /// <summary>Length of the AES-GCM nonce.</summary>
    public const int NonceLength = 12;

    /// <summary>Length of the AES-GCM tag at the end.</summary>
    public const int TagLength = 16;

    /// <summary>Bytes before the ciphertext: version, alg, session and nonce (30).</summary>
    public const int HeaderLength = 2 + SessionLength + NonceLength;

    /// <summary>
    /// Bytes a sealed object adds to an uncompressed plaintext: header, codec byte and tag (47). Also the
    /// length of the smallest valid sealed object (empty plaintext).
    /// </summary>
    public const int Overhead = HeaderLength + 1 + TagLength;

    /// <summary>Longest object id the associated data can carry (its length is a u16).</summary>
    public const int MaxIdLength = ushort.MaxValue;

    /// <summary>Codec byte 0: the body is the plaintext as is (<see cref="CompressionCodec.None"/>).</summary>
    public const byte CodecStored = (byte)CompressionCodec.None;

    /// <summary>Codec byte 1: the body is one zstd frame (<see cref="CompressionCodec.Zstd"/>).</summary>
    public const byte CodecZstd = (byte)CompressionCodec.Zstd;

    /// <summary>Longest plaintext that can be sealed into one object.</summary>
    public const int MaxPlaintextLength = 0x7FFFFFC7 - Overhead;

    internal const int SessionOffset = 2;
    internal const int NonceOffset = SessionOffset + SessionLength;

    // Prefix of the BLAKE3 keyed-hash input that turns a purpose key and a session salt into a session key.
    internal static ReadOnlySpan<byte> SessionContext => "ForgeOne session v1"u8;

    private static ReadOnlySpan<byte> AadMagic => "FGO1"u8;

    /// <summary>Size a destination must have to seal <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">Plaintext length in bytes.</param>
    /// <returns><paramref name="plaintextLength"/> + <see cref="Overhead"/>; compression only ever shrinks it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above <see cref="MaxPlaintextLength"/>.</exception>
    public static int GetMaxSealedLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, MaxPlaintextLength);
        return plaintextLength + Overhead;
    }

    internal static void DeriveSessionKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> session, Span<byte> sessionKey)
    {
        Span<byte> input = stackalloc byte[SessionContext.Length + SessionLength];
        SessionContext.CopyTo(input);
        session.CopyTo(input[SessionContext.Length..]);
        Blake3.KeyedHash(key, input, sessionKey);
    }

    internal static int GetAadLength(int idLength) => AadMagic.Length + 1 + 2 + idLength + SessionOffset + SessionLength;

    /// <summary>Writes the associated data for an object whose header starts <paramref name="header"/>.</summary>
    internal static void WriteAad(ObjectKind kind, ReadOnlySpan<byte> id, ReadOnlySpan<byte> header, Span<byte> aad)
    {
        AadMagic.CopyTo(aad);
        aad[4] = (byte)kind;
        BinaryPrimitives.WriteUInt16LittleEndian(aad[5..], (ushort)id.Length);
        id.CopyTo(aad[7..]);
        header[..(SessionOffset + SessionLength)].CopyTo(aad[(7 + id.Length)..]);
    }
}
