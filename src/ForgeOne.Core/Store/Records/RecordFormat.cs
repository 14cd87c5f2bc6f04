using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// The sealed form of one store record value, format 1:
/// <c>format:u8 (=1) || session:varint || nonce[12] || ciphertext || tag[16]</c>, where the ciphertext
/// encrypts <c>codec:u8 || [dictionary:varint] || body</c>; a compressed body is <c>plaintextLength:varint || frame</c>.
/// </summary>
/// <remarks>
/// <para>This is the core envelope's algorithm (AES-256-GCM under a per-session key
/// <c>BLAKE3.keyed_hash(epochKey, "ForgeOne store session v1" || salt)</c>, random 96-bit nonces, 128-bit
/// tags) with the 16-byte session salt replaced by the number of a row in the shard's <c>sessions</c> table,
/// which holds the salt and the key epoch. That saves 15 bytes on every value: the overhead is 31 bytes
/// (1 + 1 + 12 + 16 + codec byte) for a shard's first 127 sessions. Log entries and events are sealed a block of
/// records per value (<c>TimeSeries/RecordBlock</c>), keyed by the block's first record id, so that overhead is shared
/// by up to 128 records.</para>
/// <para>Associated data: <c>"FGR1" || tableLength:u8 || table || keyLength:u8 || key || format || session:varint</c>,
/// so a value moved to another table, another key or another session fails to open.</para>
/// <para>Codecs: 0 stored, 1 zstd frame without magic number or dictionary id, 2 the same with the shard dictionary
/// whose id follows as a varint.</para>
/// </remarks>
public static class RecordFormat
{
    /// <summary>The only record format this build reads and writes.</summary>
    public const byte Version = 1;

    /// <summary>Codec 0: the body is the plaintext.</summary>
    public const byte CodecStored = 0;

    /// <summary>Codec 1: the body is a magicless zstd frame.</summary>
    public const byte CodecZstd = 1;

    /// <summary>Codec 2: the body is a magicless zstd frame compressed with a shard dictionary.</summary>
    public const byte CodecZstdDictionary = 2;

    /// <summary>AES-GCM nonce length.</summary>
    public const int NonceLength = 12;

    /// <summary>AES-GCM tag length.</summary>
    public const int TagLength = 16;

    /// <summary>The largest key bound into a record's associated data.</summary>
    public const int MaxKeyLength = 255;

    private static readonly byte[] SessionLabel = "ForgeOne store session v1"u8.ToArray();

    /// <summary>Derives the AES key of one session: <c>BLAKE3.keyed_hash(epochKey, label || salt)</c>.</summary>
    /// <param name="epochKey">The 32-byte epoch key.</param>
    /// <param name="salt">The session's random salt.</param>
    /// <param name="sessionKey">Receives 32 bytes.</param>
    public static void DeriveSessionKey(ReadOnlySpan<byte> epochKey, ReadOnlySpan<byte> salt, Span<byte> sessionKey)
    {
        Span<byte> input = stackalloc byte[SessionLabel.Length + salt.Length];
        SessionLabel.CopyTo(input);
        salt.CopyTo(input[SessionLabel.Length..]);
        Crypto.Blake3.KeyedHash(epochKey, input, sessionKey);
    }

    /// <summary>Bytes before the ciphertext for <paramref name="session"/>.</summary>
    /// <param name="session">The session number.</param>
    /// <returns>The header length.</returns>
    public static int HeaderLength(long session) => 1 + VarInt.Length((ulong)session) + NonceLength;

    /// <summary>Writes the associated data for a record into a new array.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="key">The record's key bytes.</param>
    /// <param name="header">The record's header up to the nonce: format and session varint.</param>
    /// <returns>The associated data.</returns>
    public static byte[] AssociatedData(string table, ReadOnlySpan<byte> key, ReadOnlySpan<byte> header)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A record key is at most {MaxKeyLength} bytes.", nameof(key));
        }

        var tableBytes = Encoding.ASCII.GetBytes(table);
        var aad = new byte[4 + 1 + tableBytes.Length + 1 + key.Length + header.Length];
        "FGR1"u8.CopyTo(aad);
        aad[4] = (byte)tableBytes.Length;
        tableBytes.CopyTo(aad, 5);
        aad[5 + tableBytes.Length] = (byte)key.Length;
        key.CopyTo(aad.AsSpan(6 + tableBytes.Length));
        header.CopyTo(aad.AsSpan(6 + tableBytes.Length + key.Length));
        return aad;
    }

    /// <summary>The key bytes of an integer-keyed record: 8 bytes big-endian.</summary>
    /// <param name="id">The record id.</param>
    /// <returns>The key bytes.</returns>
    public static byte[] Key(long id)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, id);
        return key;
    }

    /// <summary>The key bytes of a text-keyed record: its UTF-8.</summary>
    /// <param name="id">The record key.</param>
    /// <returns>The key bytes.</returns>
    public static byte[] Key(string id) => Encoding.UTF8.GetBytes(id);

    /// <summary>Reads the session number of a sealed value without opening it.</summary>
    /// <param name="value">The sealed value.</param>
    /// <returns>The session number.</returns>
    /// <exception cref="InvalidDataException">The value is not format 1 or is cut short.</exception>
    public static long ReadSession(ReadOnlySpan<byte> value)
    {
        if (value.Length < 2 || value[0] != Version)
        {
            throw new InvalidDataException(value.Length < 2
                ? "The record value is too short to be sealed."
                : $"The record value has format {value[0]}; this build reads format {Version}.");
        }

        return (long)VarInt.Read(value[1..], out _);
    }
}
