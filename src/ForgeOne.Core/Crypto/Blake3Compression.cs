using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Constants of BLAKE3 and the portable single-block compression function, used for chunk tails,
/// parent nodes near the root and the root output; the wide kernels handle bulk data.
/// </summary>
internal static class Blake3Compression
{
    internal const int BlockLength = 64;
    internal const int ChunkLength = 1024;
    internal const int BlocksPerChunk = ChunkLength / BlockLength;
    internal const int OutLength = 32;
    internal const int KeyLength = 32;

    // Enough for 2^54 chunks (2^64 bytes), the most the 64-bit chunk counter can address.
    internal const int MaxDepth = 54;

    internal const uint ChunkStart = 1 << 0;
    internal const uint ChunkEnd = 1 << 1;
    internal const uint Parent = 1 << 2;
    internal const uint Root = 1 << 3;
    internal const uint KeyedHash = 1 << 4;
    internal const uint DeriveKeyContext = 1 << 5;
    internal const uint DeriveKeyMaterial = 1 << 6;

    internal const uint IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A;
    internal const uint IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;

    /// <summary>The message word order of each of the seven rounds.</summary>
    internal static ReadOnlySpan<byte> MessageSchedule =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8,
        3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1,
        10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6,
        12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4,
        9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7,
        11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13,
    ];

    /// <summary>The hash modes' key: the IV words.</summary>
    internal static Blake3Words8 IV
    {
        get
        {
            Blake3Words8 iv = default;
            iv[0] = IV0; iv[1] = IV1; iv[2] = IV2; iv[3] = IV3;
            iv[4] = IV4; iv[5] = IV5; iv[6] = IV6; iv[7] = IV7;
            return iv;
        }
    }

    /// <summary>Compresses one block and replaces <paramref name="cv"/> with the new chaining value.</summary>
    internal static void CompressInPlace(ref Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags)
    {
        Blake3Words16 state = default;
        Rounds(ref state, cv, block, blockLength, counter, flags);
        for (int i = 0; i < 8; i++)
        {
            cv[i] = state[i] ^ state[i + 8];
        }
    }

    /// <summary>Compresses one block and writes all 64 bytes of the extended output (the XOF form).</summary>
    internal static void CompressXof(in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags, Span<byte> output64)
    {
        Blake3Words16 state = default;
        Rounds(ref state, cv, block, blockLength, counter, flags);
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output64[(4 * i)..], state[i] ^ state[i + 8]);
            BinaryPrimitives.WriteUInt32LittleEndian(output64[(32 + 4 * i)..], state[i + 8] ^ cv[i]);
        }
    }

    /// <summary>Writes eight words as 32 little-endian bytes.</summary>
    internal static void WordsToBytes(in Blake3Words8 words, Span<byte> output32)
    {
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output32[(4 * i)..], words[i]);
        }
    }

    /// <summary>Reads 32 little-endian bytes as eight words.</summary>
    internal static Blake3Words8 BytesToWords(ReadOnlySpan<byte> input32)
    {
        Blake3Words8 words = default;
        for (int i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(input32[(4 * i)..]);
        }

        return words;
    }

    private static void Rounds(ref Blake3Words16 s, in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags)
    {
        Blake3Words16 m = default;
        for (int i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
        }

        for (int i = 0; i < 8; i++)
        {
            s[i] = cv[i];
        }

        s[8] = IV0; s[9] = IV1; s[10] = IV2; s[11] = IV3;
        s[12] = (uint)counter;
        s[13] = (uint)(counter >> 32);
        s[14] = blockLength;
        s[15] = flags;

        ReadOnlySpan<byte> schedule = MessageSchedule;
        for (int r = 0; r < 7; r++)
        {
            ReadOnlySpan<byte> o = schedule.Slice(16 * r, 16);
            G(ref s[0], ref s[4], ref s[8], ref s[12], m[o[0]], m[o[1]]);
            G(ref s[1], ref s[5], ref s[9], ref s[13], m[o[2]], m[o[3]]);
            G(ref s[2], ref s[6], ref s[10], ref s[14], m[o[4]], m[o[5]]);
            G(ref s[3], ref s[7], ref s[11], ref s[15], m[o[6]], m[o[7]]);
            G(ref s[0], ref s[5], ref s[10], ref s[15], m[o[8]], m[o[9]]);
            G(ref s[1], ref s[6], ref s[11], ref s[12], m[o[10]], m[o[11]]);
            G(ref s[2], ref s[7], ref s[8], ref s[13], m[o[12]], m[o[13]]);
            G(ref s[3], ref s[4], ref s[9], ref s[14], m[o[14]], m[o[15]]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref uint a, ref uint b, ref uint c, ref uint d, uint x, uint y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 8);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 7);
    }
}
