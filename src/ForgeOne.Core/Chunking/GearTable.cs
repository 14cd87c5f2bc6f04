using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ForgeOne.Core.Chunking;

/// <summary>
/// The 256 secret 64-bit values that the FastCDC gear hash adds per input byte, derived from a repository secret.
/// </summary>
/// <remarks>
/// <para>
/// Why secret: with a public table, the sequence of chunk lengths of a known file is predictable, so anyone
/// who sees only encrypted object sizes could tell whether a repository holds that file (chunk-size
/// fingerprinting). With a keyed table the boundaries depend on the key as well as the content.
/// </para>
/// <para>Derivation, exactly:</para>
/// <list type="number">
/// <item><description>Input: a 32-byte secret <c>S</c> (the repository's chunker gear seed subkey).</description></item>
/// <item><description>For <c>j</c> = 0 … 127, form the 16-byte block <c>P[j]</c> = <c>j</c> encoded as a
/// 128-bit little-endian unsigned integer (byte 0 = <c>j</c>, bytes 1–15 = 0, since <c>j</c> &lt; 256).</description></item>
/// <item><description>Compute <c>C = AES-256-ECB(key = S, P[0] || P[1] || … || P[127])</c> without padding:
/// 2048 bytes (this is AES-256-CTR keystream with a zero initial counter, little-endian counter).</description></item>
/// <item><description>Gear value <c>i</c> (0 … 255) is <c>C[8i .. 8i + 8)</c> read as a little-endian
/// unsigned 64-bit integer.</description></item>
/// </list>
/// <para>
/// AES comes from the platform (<see cref="Aes"/>), so no hand-written cryptography is involved; the table is
/// built once per repository open.
/// </para>
/// </remarks>
public sealed class GearTable
{
    /// <summary>The number of entries: one per byte value.</summary>
    public const int Length = 256;

    /// <summary>The required secret length in bytes (an AES-256 key).</summary>
    public const int SecretLength = 32;

    private GearTable(ulong[] values)
    {
        Values = values;
        ShiftedValues = new ulong[Length];
        for (var i = 0; i < Length; i++)
        {
            // The two-bytes-per-step loop adds entries already shifted left by one.
            ShiftedValues[i] = values[i] << 1;
        }
    }

    /// <summary>Gear value for a byte.</summary>
    /// <param name="value">The input byte.</param>
    public ulong this[byte value] => Values[value];

    /// <summary>The 256 gear values, indexed by input byte.</summary>
    internal ulong[] Values { get; }

    /// <summary>Each gear value shifted left by one bit, for FastCDC's two-bytes-per-step loop.</summary>
    internal ulong[] ShiftedValues { get; }

    /// <summary>Derives the gear table from a 32-byte secret as described in the remarks.</summary>
    /// <param name="secret">Exactly <see cref="SecretLength"/> bytes of key material.</param>
    /// <returns>The derived table.</returns>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is not 32 bytes long.</exception>
    public static GearTable FromSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretLength)
        {
            throw new ArgumentException(
                $"The gear table secret must be {SecretLength} bytes, not {secret.Length}.", nameof(secret));
        }

        const int blockSize = 16;
        Span<byte> counters = stackalloc byte[Length * sizeof(ulong)];
        Span<byte> keystream = stackalloc byte[Length * sizeof(ulong)];
        counters.Clear();
        for (var j = 0; j < counters.Length / blockSize; j++)
        {
            // 128-bit little-endian counter: the low 64 bits carry j, the high 64 bits stay zero.
            BinaryPrimitives.WriteUInt64LittleEndian(counters.Slice(j * blockSize), (ulong)j);
        }

        var key = secret.ToArray();
        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            if (aes.EncryptEcb(counters, keystream, PaddingMode.None) != keystream.Length)
            {
                throw new CryptographicException("AES-ECB produced an unexpected number of bytes for the gear table.");
            }

            var values = new ulong[Length];
            for (var i = 0; i < Length; i++)
            {
                values[i] = BinaryPrimitives.ReadUInt64LittleEndian(keystream.Slice(i * sizeof(ulong)));
            }

            return new GearTable(values);
        }
        finally
        {
            // The key copy is secret; the keystream is the table itself, which lives on in the result anyway,
            // but the stack copy need not outlive this call.
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(keystream);
        }
    }
}
