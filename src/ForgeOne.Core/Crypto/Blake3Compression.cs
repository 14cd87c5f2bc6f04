using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

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
    [SkipLocalsInit]
    internal static void CompressInPlace(ref Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags)
    {
        Unsafe.SkipInit(out Blake3Words16 state);
        Compress(ref state, cv, block, blockLength, counter, flags);
        for (int i = 0; i < 8; i++)
        {
            cv[i] = state[i] ^ state[i + 8];
        }
    }

    /// <summary>Compresses one block and writes all 64 bytes of the extended output (the XOF form).</summary>
    [SkipLocalsInit]
    internal static void CompressXof(in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags, Span<byte> output64)
    {
        Unsafe.SkipInit(out Blake3Words16 state);
        Compress(ref state, cv, block, blockLength, counter, flags);
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

    /// <summary>Runs the seven rounds and leaves the raw 16-word state, which the callers fold in their own ways.</summary>
    private static void Compress(ref Blake3Words16 state, in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags)
    {
        if (CanCompressRows)
        {
            CompressRows(ref state, cv, block, blockLength, counter, flags);
        }
        else
        {
            CompressScalar(ref state, cv, block, blockLength, counter, flags);
        }
    }

    private static bool CanCompressRows => BitConverter.IsLittleEndian && (Sse2.IsSupported || AdvSimd.IsSupported);

    /// <summary>
    /// The rounds with one state row per <see cref="Vector128{T}"/>, as the reference's SSE4.1 <c>compress</c>: the four
    /// column G functions run side by side, then the rows are rotated so the diagonals line up as columns.
    /// </summary>
    // Never inlined: inside a caller the dozens of small helpers below would exhaust the JIT's inlining budget.
    // Fully optimised from the first call, because tier-0 code that calls each helper is many times slower.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CompressRows(ref Blake3Words16 state, in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength,
        ulong counter, uint flags)
    {
        fixed (byte* blockPointer = block)
        {
            uint* w = (uint*)blockPointer;

            // With AVX-512 the whole block sits in one register and each message vector is a single permute.
            Vector512<uint> mz = Avx512F.IsSupported ? Vector512.Load(w) : default;

            ReadOnlySpan<uint> words = cv;
            Vector128<uint> r0 = Vector128.Create(words[..4]);
            Vector128<uint> r1 = Vector128.Create(words[4..]);
            Vector128<uint> r2 = Vector128.Create(IV0, IV1, IV2, IV3);
            Vector128<uint> r3 = Vector128.Create((uint)counter, (uint)(counter >> 32), blockLength, flags);

        // Written out by Generators/blake3-rounds.py --rows.
        // Round 0.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 0, 2, 4, 6), Message(mz, w, 1, 3, 5, 7));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 8, 10, 12, 14), Message(mz, w, 9, 11, 13, 15));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 1.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 2, 3, 7, 4), Message(mz, w, 6, 10, 0, 13));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 1, 12, 9, 15), Message(mz, w, 11, 5, 14, 8));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 2.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 3, 10, 13, 7), Message(mz, w, 4, 12, 2, 14));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 6, 9, 11, 8), Message(mz, w, 5, 0, 15, 1));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 3.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 10, 12, 14, 13), Message(mz, w, 7, 9, 3, 15));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 4, 11, 5, 1), Message(mz, w, 0, 2, 8, 6));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 4.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 12, 9, 15, 14), Message(mz, w, 13, 11, 10, 8));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 7, 5, 0, 6), Message(mz, w, 2, 3, 1, 4));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 5.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 9, 11, 8, 15), Message(mz, w, 14, 5, 12, 1));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 13, 0, 2, 4), Message(mz, w, 3, 10, 6, 7));
        Undiagonalize(ref r1, ref r2, ref r3);
        // Round 6.
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 11, 5, 1, 8), Message(mz, w, 15, 0, 9, 6));
        Diagonalize(ref r1, ref r2, ref r3);
        G(ref r0, ref r1, ref r2, ref r3, Message(mz, w, 14, 2, 3, 7), Message(mz, w, 10, 12, 4, 13));
        Undiagonalize(ref r1, ref r2, ref r3);

            Span<uint> raw = state;
            r0.CopyTo(raw);
            r1.CopyTo(raw[4..]);
            r2.CopyTo(raw[8..]);
            r3.CopyTo(raw[12..]);
        }
    }

    /// <summary>Words a, b, c and d of the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<uint> Message(Vector512<uint> mz, uint* w, uint a, uint b, uint c, uint d) =>
        Avx512F.IsSupported
            ? Avx512F.PermuteVar16x32(mz, Vector512.Create(a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower().GetLower()
            : Vector128.Create(w[a], w[b], w[c], w[d]);

    /// <summary>Four G functions at once, one per column (or, after <see cref="Diagonalize"/>, per diagonal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector128<uint> r0, ref Vector128<uint> r1, ref Vector128<uint> r2, ref Vector128<uint> r3,
        Vector128<uint> x, Vector128<uint> y)
    {
        r0 += r1 + x;
        r3 = Blake3Vector128.Rot16(r3 ^ r0);
        r2 += r3;
        r1 = Blake3Vector128.Rot12(r1 ^ r2);
        r0 += r1 + y;
        r3 = Blake3Vector128.Rot8(r3 ^ r0);
        r2 += r3;
        r1 = Blake3Vector128.Rot7(r1 ^ r2);
    }

    /// <summary>Rotates rows 1-3 left by 1, 2 and 3 words so that each diagonal becomes a column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Diagonalize(ref Vector128<uint> r1, ref Vector128<uint> r2, ref Vector128<uint> r3)
    {
        r1 = RotateWords(r1, 0x39);
        r2 = RotateWords(r2, 0x4E);
        r3 = RotateWords(r3, 0x93);
    }

    /// <summary>Undoes <see cref="Diagonalize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Undiagonalize(ref Vector128<uint> r1, ref Vector128<uint> r2, ref Vector128<uint> r3)
    {
        r1 = RotateWords(r1, 0x93);
        r2 = RotateWords(r2, 0x4E);
        r3 = RotateWords(r3, 0x39);
    }

    /// <summary>Permutes the four words of <paramref name="x"/> as <c>pshufd</c> with <paramref name="control"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateWords(Vector128<uint> x, [ConstantExpected] byte control) =>
        Sse2.IsSupported
            ? Sse2.Shuffle(x, control)
            : Vector128.Shuffle(x, Vector128.Create((uint)(control & 3), (uint)((control >> 2) & 3), (uint)((control >> 4) & 3), (uint)(control >> 6)));

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void CompressScalar(ref Blake3Words16 state, in Blake3Words8 cv, ReadOnlySpan<byte> block, uint blockLength, ulong counter, uint flags)
    {
        Unsafe.SkipInit(out Blake3Words16 m);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, uint>(block[..BlockLength]).CopyTo(m);
        }
        else
        {
            for (int i = 0; i < 16; i++)
            {
                m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
            }
        }

        // Locals rather than an array, and the rounds written out with constant message indices (the same text as the
        // vector kernels), let the JIT keep the state in registers.
        uint v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        uint v8 = IV0, v9 = IV1, v10 = IV2, v11 = IV3;
        uint v12 = (uint)counter, v13 = (uint)(counter >> 32), v14 = blockLength, v15 = flags;

        // The seven rounds written out by Generators/blake3-rounds.py, so every message index is a constant.
        // Round 0: columns.
        v0 += m[0]; v1 += m[2]; v2 += m[4]; v3 += m[6];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[1]; v1 += m[3]; v2 += m[5]; v3 += m[7];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 0: diagonals.
        v0 += m[8]; v1 += m[10]; v2 += m[12]; v3 += m[14];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[9]; v1 += m[11]; v2 += m[13]; v3 += m[15];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 1: columns.
        v0 += m[2]; v1 += m[3]; v2 += m[7]; v3 += m[4];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[6]; v1 += m[10]; v2 += m[0]; v3 += m[13];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 1: diagonals.
        v0 += m[1]; v1 += m[12]; v2 += m[9]; v3 += m[15];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[11]; v1 += m[5]; v2 += m[14]; v3 += m[8];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 2: columns.
        v0 += m[3]; v1 += m[10]; v2 += m[13]; v3 += m[7];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[4]; v1 += m[12]; v2 += m[2]; v3 += m[14];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 2: diagonals.
        v0 += m[6]; v1 += m[9]; v2 += m[11]; v3 += m[8];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[5]; v1 += m[0]; v2 += m[15]; v3 += m[1];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 3: columns.
        v0 += m[10]; v1 += m[12]; v2 += m[14]; v3 += m[13];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[7]; v1 += m[9]; v2 += m[3]; v3 += m[15];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 3: diagonals.
        v0 += m[4]; v1 += m[11]; v2 += m[5]; v3 += m[1];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[0]; v1 += m[2]; v2 += m[8]; v3 += m[6];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 4: columns.
        v0 += m[12]; v1 += m[9]; v2 += m[15]; v3 += m[14];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[13]; v1 += m[11]; v2 += m[10]; v3 += m[8];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 4: diagonals.
        v0 += m[7]; v1 += m[5]; v2 += m[0]; v3 += m[6];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[2]; v1 += m[3]; v2 += m[1]; v3 += m[4];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 5: columns.
        v0 += m[9]; v1 += m[11]; v2 += m[8]; v3 += m[15];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[14]; v1 += m[5]; v2 += m[12]; v3 += m[1];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 5: diagonals.
        v0 += m[13]; v1 += m[0]; v2 += m[2]; v3 += m[4];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[3]; v1 += m[10]; v2 += m[6]; v3 += m[7];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);
        // Round 6: columns.
        v0 += m[11]; v1 += m[5]; v2 += m[1]; v3 += m[8];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot16(v12 ^ v0); v13 = Rot16(v13 ^ v1); v14 = Rot16(v14 ^ v2); v15 = Rot16(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot12(v4 ^ v8); v5 = Rot12(v5 ^ v9); v6 = Rot12(v6 ^ v10); v7 = Rot12(v7 ^ v11);
        v0 += m[15]; v1 += m[0]; v2 += m[9]; v3 += m[6];
        v0 += v4; v1 += v5; v2 += v6; v3 += v7;
        v12 = Rot8(v12 ^ v0); v13 = Rot8(v13 ^ v1); v14 = Rot8(v14 ^ v2); v15 = Rot8(v15 ^ v3);
        v8 += v12; v9 += v13; v10 += v14; v11 += v15;
        v4 = Rot7(v4 ^ v8); v5 = Rot7(v5 ^ v9); v6 = Rot7(v6 ^ v10); v7 = Rot7(v7 ^ v11);
        // Round 6: diagonals.
        v0 += m[14]; v1 += m[2]; v2 += m[3]; v3 += m[7];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot16(v15 ^ v0); v12 = Rot16(v12 ^ v1); v13 = Rot16(v13 ^ v2); v14 = Rot16(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot12(v5 ^ v10); v6 = Rot12(v6 ^ v11); v7 = Rot12(v7 ^ v8); v4 = Rot12(v4 ^ v9);
        v0 += m[10]; v1 += m[12]; v2 += m[4]; v3 += m[13];
        v0 += v5; v1 += v6; v2 += v7; v3 += v4;
        v15 = Rot8(v15 ^ v0); v12 = Rot8(v12 ^ v1); v13 = Rot8(v13 ^ v2); v14 = Rot8(v14 ^ v3);
        v10 += v15; v11 += v12; v8 += v13; v9 += v14;
        v5 = Rot7(v5 ^ v10); v6 = Rot7(v6 ^ v11); v7 = Rot7(v7 ^ v8); v4 = Rot7(v4 ^ v9);

        state[0] = v0; state[1] = v1; state[2] = v2; state[3] = v3; state[4] = v4; state[5] = v5; state[6] = v6; state[7] = v7;
        state[8] = v8; state[9] = v9; state[10] = v10; state[11] = v11; state[12] = v12; state[13] = v13; state[14] = v14; state[15] = v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rot16(uint x) => BitOperations.RotateRight(x, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rot12(uint x) => BitOperations.RotateRight(x, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rot8(uint x) => BitOperations.RotateRight(x, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rot7(uint x) => BitOperations.RotateRight(x, 7);
}
