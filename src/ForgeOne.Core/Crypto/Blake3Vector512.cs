using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Compresses 16 inputs at once, one per 32-bit lane of <see cref="Vector512{T}"/> (the reference's
/// <c>blake3_hash16_avx512</c>): message words are transposed so that vector <c>m[w]</c> holds word <c>w</c> of every input.
/// </summary>
/// <remarks>
/// With AVX-512F the rotations are single <c>vprord</c> instructions and the transposes use in-lane unpacks and
/// 128-bit lane shuffles. Without it (a forced backend in tests) the same code runs on the software fallback of
/// <see cref="Vector512{T}"/>, slowly but correctly.
/// </remarks>
internal static unsafe class Blake3Vector512
{
    internal const int Degree = 16;

    /// <summary>
    /// Hashes 16 inputs of <paramref name="blocks"/> blocks each, <paramref name="stride"/> bytes apart, writing
    /// 16 chaining values of 32 bytes.
    /// </summary>
    // Fully optimised from the first call: the unoptimised (tier-0) code of this large method is many times slower.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Hash16(byte* input, nint stride, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector512<uint> h0 = Vector512.Create(key[0]), h1 = Vector512.Create(key[1]), h2 = Vector512.Create(key[2]), h3 = Vector512.Create(key[3]);
        Vector512<uint> h4 = Vector512.Create(key[4]), h5 = Vector512.Create(key[5]), h6 = Vector512.Create(key[6]), h7 = Vector512.Create(key[7]);

        Vector512<uint> counterLow = Vector512.Create((uint)counter);
        Vector512<uint> counterHigh = Vector512.Create((uint)(counter >> 32));
        if (incrementCounter)
        {
            Vector512<uint> low = counterLow + Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

            // A lane whose low word wrapped around carries into the high word (the all-ones mask is -1).
            counterHigh -= Vector512.LessThan(low, counterLow);
            counterLow = low;
        }

        Unsafe.SkipInit(out Message m);
        uint blockFlags = flags | flagsStart;
        for (int block = 0; block < blocks; block++)
        {
            if (block + 1 == blocks)
            {
                blockFlags |= flagsEnd;
            }

            LoadTransposed(input + block * Blake3Compression.BlockLength, stride, ref m);

            Vector512<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector512<uint> v8 = Vector512.Create(Blake3Compression.IV0), v9 = Vector512.Create(Blake3Compression.IV1);
            Vector512<uint> v10 = Vector512.Create(Blake3Compression.IV2), v11 = Vector512.Create(Blake3Compression.IV3);
            Vector512<uint> v12 = counterLow, v13 = counterHigh;
            Vector512<uint> v14 = Vector512.Create((uint)Blake3Compression.BlockLength), v15 = Vector512.Create(blockFlags);

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

            h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
            h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
            blockFlags = flags;
        }

        StoreTransposed(h0, h1, h2, h3, h4, h5, h6, h7, output);
    }

    /// <summary>Loads block-sized rows of 16 inputs and transposes them so that <c>m[w]</c> holds word <c>w</c> of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(byte* input, nint stride, ref Message m)
    {
        if (!Avx512F.IsSupported || !BitConverter.IsLittleEndian)
        {
            LoadTransposedPortable(input, stride, ref m);
            return;
        }

        // Stage 1, per group of four inputs: a 4x4 transpose inside each 128-bit lane, so that lane k of u{g}{j}
        // holds word 4k+j of the group's inputs.
        Transpose4(Load(input, stride, 0), Load(input, stride, 1), Load(input, stride, 2), Load(input, stride, 3),
            out Vector512<uint> u00, out Vector512<uint> u01, out Vector512<uint> u02, out Vector512<uint> u03);
        Transpose4(Load(input, stride, 4), Load(input, stride, 5), Load(input, stride, 6), Load(input, stride, 7),
            out Vector512<uint> u10, out Vector512<uint> u11, out Vector512<uint> u12, out Vector512<uint> u13);
        Transpose4(Load(input, stride, 8), Load(input, stride, 9), Load(input, stride, 10), Load(input, stride, 11),
            out Vector512<uint> u20, out Vector512<uint> u21, out Vector512<uint> u22, out Vector512<uint> u23);
        Transpose4(Load(input, stride, 12), Load(input, stride, 13), Load(input, stride, 14), Load(input, stride, 15),
            out Vector512<uint> u30, out Vector512<uint> u31, out Vector512<uint> u32, out Vector512<uint> u33);

        // Stage 2: a 4x4 transpose of 128-bit lanes across the four groups.
        TransposeLanes(u00, u10, u20, u30, out m[0], out m[4], out m[8], out m[12]);
        TransposeLanes(u01, u11, u21, u31, out m[1], out m[5], out m[9], out m[13]);
        TransposeLanes(u02, u12, u22, u32, out m[2], out m[6], out m[10], out m[14]);
        TransposeLanes(u03, u13, u23, u33, out m[3], out m[7], out m[11], out m[15]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Load(byte* input, nint stride, int row)
    {
        byte* address = input + row * stride;

        // Sixteen streams 1 KiB apart are too many for the hardware prefetcher to follow on its own; fetching a few
        // blocks ahead, as the reference kernel does, keeps hashing from waiting on memory.
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address + 128);
        }

        return Vector512.Load((uint*)address);
    }

    /// <summary>Transposes 4x4 blocks of words within each 128-bit lane of four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d,
        out Vector512<uint> w0, out Vector512<uint> w1, out Vector512<uint> w2, out Vector512<uint> w3)
    {
        Vector512<ulong> ab0 = Avx512F.UnpackLow(a, b).AsUInt64();
        Vector512<ulong> ab2 = Avx512F.UnpackHigh(a, b).AsUInt64();
        Vector512<ulong> cd0 = Avx512F.UnpackLow(c, d).AsUInt64();
        Vector512<ulong> cd2 = Avx512F.UnpackHigh(c, d).AsUInt64();
        w0 = Avx512F.UnpackLow(ab0, cd0).AsUInt32();
        w1 = Avx512F.UnpackHigh(ab0, cd0).AsUInt32();
        w2 = Avx512F.UnpackLow(ab2, cd2).AsUInt32();
        w3 = Avx512F.UnpackHigh(ab2, cd2).AsUInt32();
    }

    /// <summary>Transposes the 128-bit lanes of four vectors: lane g of result k is lane k of input g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeLanes(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d,
        out Vector512<uint> l0, out Vector512<uint> l1, out Vector512<uint> l2, out Vector512<uint> l3)
    {
        Vector512<uint> ab01 = Avx512F.Shuffle4x128(a, b, 0x44);
        Vector512<uint> ab23 = Avx512F.Shuffle4x128(a, b, 0xEE);
        Vector512<uint> cd01 = Avx512F.Shuffle4x128(c, d, 0x44);
        Vector512<uint> cd23 = Avx512F.Shuffle4x128(c, d, 0xEE);
        l0 = Avx512F.Shuffle4x128(ab01, cd01, 0x88);
        l1 = Avx512F.Shuffle4x128(ab01, cd01, 0xDD);
        l2 = Avx512F.Shuffle4x128(ab23, cd23, 0x88);
        l3 = Avx512F.Shuffle4x128(ab23, cd23, 0xDD);
    }

    /// <summary>Writes lane i of h0..h7 as the 32-byte chaining value of input i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(Vector512<uint> h0, Vector512<uint> h1, Vector512<uint> h2, Vector512<uint> h3,
        Vector512<uint> h4, Vector512<uint> h5, Vector512<uint> h6, Vector512<uint> h7, byte* output)
    {
        if (!Avx512F.IsSupported || !BitConverter.IsLittleEndian)
        {
            StoreTransposedPortable(h0, h1, h2, h3, h4, h5, h6, h7, output);
            return;
        }

        // Lane k of lo{j} holds words 0-3, and of hi{j} words 4-7, of input 4k+j.
        Transpose4(h0, h1, h2, h3, out Vector512<uint> lo0, out Vector512<uint> lo1, out Vector512<uint> lo2, out Vector512<uint> lo3);
        Transpose4(h4, h5, h6, h7, out Vector512<uint> hi0, out Vector512<uint> hi1, out Vector512<uint> hi2, out Vector512<uint> hi3);
        StoreInputs(lo0, hi0, output);
        StoreInputs(lo1, hi1, output + Blake3Compression.OutLength);
        StoreInputs(lo2, hi2, output + 2 * Blake3Compression.OutLength);
        StoreInputs(lo3, hi3, output + 3 * Blake3Compression.OutLength);
    }

    /// <summary>Stores inputs j, 4+j, 8+j and 12+j: lane k of <paramref name="lo"/> and <paramref name="hi"/> is input 4k+j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInputs(Vector512<uint> lo, Vector512<uint> hi, byte* output)
    {
        const int step = 4 * Blake3Compression.OutLength;
        Avx512F.ExtractVector128(lo, 0).Store((uint*)output);
        Avx512F.ExtractVector128(hi, 0).Store((uint*)(output + 16));
        Avx512F.ExtractVector128(lo, 1).Store((uint*)(output + step));
        Avx512F.ExtractVector128(hi, 1).Store((uint*)(output + step + 16));
        Avx512F.ExtractVector128(lo, 2).Store((uint*)(output + 2 * step));
        Avx512F.ExtractVector128(hi, 2).Store((uint*)(output + 2 * step + 16));
        Avx512F.ExtractVector128(lo, 3).Store((uint*)(output + 3 * step));
        Avx512F.ExtractVector128(hi, 3).Store((uint*)(output + 3 * step + 16));
    }

    [SkipLocalsInit]
    private static void LoadTransposedPortable(byte* input, nint stride, ref Message m)
    {
        uint* words = stackalloc uint[Degree];
        for (int w = 0; w < 16; w++)
        {
            for (int i = 0; i < Degree; i++)
            {
                words[i] = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(input + i * stride + 4 * w, 4));
            }

            m[w] = Vector512.Load(words);
        }
    }

    private static void StoreTransposedPortable(Vector512<uint> h0, Vector512<uint> h1, Vector512<uint> h2, Vector512<uint> h3,
        Vector512<uint> h4, Vector512<uint> h5, Vector512<uint> h6, Vector512<uint> h7, byte* output)
    {
        for (int i = 0; i < Degree; i++)
        {
            Span<byte> cv = new(output + i * Blake3Compression.OutLength, Blake3Compression.OutLength);
            BinaryPrimitives.WriteUInt32LittleEndian(cv, h0[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[4..], h1[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[8..], h2[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[12..], h3[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[16..], h4[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[20..], h5[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[24..], h6[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(cv[28..], h7[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rot16(Vector512<uint> x) =>
        Avx512F.IsSupported ? Avx512F.RotateRight(x, 16) : Vector512.ShiftRightLogical(x, 16) | Vector512.ShiftLeft(x, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rot12(Vector512<uint> x) =>
        Avx512F.IsSupported ? Avx512F.RotateRight(x, 12) : Vector512.ShiftRightLogical(x, 12) | Vector512.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rot8(Vector512<uint> x) =>
        Avx512F.IsSupported ? Avx512F.RotateRight(x, 8) : Vector512.ShiftRightLogical(x, 8) | Vector512.ShiftLeft(x, 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rot7(Vector512<uint> x) =>
        Avx512F.IsSupported ? Avx512F.RotateRight(x, 7) : Vector512.ShiftRightLogical(x, 7) | Vector512.ShiftLeft(x, 25);

    /// <summary>The transposed message block, kept in memory so the rounds read it as instruction operands.</summary>
    [InlineArray(16)]
    private struct Message
    {
        private Vector512<uint> _element0;
    }
}
