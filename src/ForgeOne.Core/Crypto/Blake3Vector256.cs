using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Compresses 8 inputs at once, one per 32-bit lane of <see cref="Vector256{T}"/> (the reference's
/// <c>blake3_hash8_avx2</c>): message words are transposed so that vector <c>m[w]</c> holds word <c>w</c> of every input.
/// </summary>
/// <remarks>
/// Rotations use AVX-512VL's <c>vprord</c> when present, else byte shuffles (by 16 and 8) and shift pairs (by 12 and 7)
/// as AVX2 has no rotate. Without AVX2 (a forced backend in tests) the same code runs on the software fallback of
/// <see cref="Vector256{T}"/>.
/// </remarks>
internal static unsafe class Blake3Vector256
{
    internal const int Degree = 8;

    /// <summary>
    /// Hashes 8 inputs of <paramref name="blocks"/> blocks each, <paramref name="stride"/> bytes apart, writing
    /// 8 chaining values of 32 bytes.
    /// </summary>
    // Fully optimised from the first call: the unoptimised (tier-0) code of this large method is many times slower.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Hash8(byte* input, nint stride, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector256<uint> h0 = Vector256.Create(key[0]), h1 = Vector256.Create(key[1]), h2 = Vector256.Create(key[2]), h3 = Vector256.Create(key[3]);
        Vector256<uint> h4 = Vector256.Create(key[4]), h5 = Vector256.Create(key[5]), h6 = Vector256.Create(key[6]), h7 = Vector256.Create(key[7]);

        Vector256<uint> counterLow = Vector256.Create((uint)counter);
        Vector256<uint> counterHigh = Vector256.Create((uint)(counter >> 32));
        if (incrementCounter)
        {
            Vector256<uint> low = counterLow + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);

            // A lane whose low word wrapped around carries into the high word (the all-ones mask is -1).
            counterHigh -= Vector256.LessThan(low, counterLow);
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

            Vector256<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector256<uint> v8 = Vector256.Create(Blake3Compression.IV0), v9 = Vector256.Create(Blake3Compression.IV1);
            Vector256<uint> v10 = Vector256.Create(Blake3Compression.IV2), v11 = Vector256.Create(Blake3Compression.IV3);
            Vector256<uint> v12 = counterLow, v13 = counterHigh;
            Vector256<uint> v14 = Vector256.Create((uint)Blake3Compression.BlockLength), v15 = Vector256.Create(blockFlags);

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

    /// <summary>Loads block-sized rows of 8 inputs and transposes them so that <c>m[w]</c> holds word <c>w</c> of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(byte* input, nint stride, ref Message m)
    {
        if (!Avx2.IsSupported || !BitConverter.IsLittleEndian)
        {
            LoadTransposedPortable(input, stride, ref m);
            return;
        }

        // Words 0-7 of each input, then words 8-15.
        LoadHalf(input, stride, out m[0], out m[1], out m[2], out m[3], out m[4], out m[5], out m[6], out m[7]);
        LoadHalf(input + 32, stride, out m[8], out m[9], out m[10], out m[11], out m[12], out m[13], out m[14], out m[15]);
    }

    /// <summary>
    /// Transposes eight words of 8 inputs: a 4x4 transpose inside each 128-bit lane per group of four inputs, then
    /// the two groups' lanes are paired up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadHalf(byte* words, nint stride, out Vector256<uint> m0, out Vector256<uint> m1, out Vector256<uint> m2,
        out Vector256<uint> m3, out Vector256<uint> m4, out Vector256<uint> m5, out Vector256<uint> m6, out Vector256<uint> m7)
    {
        Transpose4(Load(words, stride, 0), Load(words, stride, 1), Load(words, stride, 2), Load(words, stride, 3),
            out Vector256<uint> u00, out Vector256<uint> u01, out Vector256<uint> u02, out Vector256<uint> u03);
        Transpose4(Load(words, stride, 4), Load(words, stride, 5), Load(words, stride, 6), Load(words, stride, 7),
            out Vector256<uint> u10, out Vector256<uint> u11, out Vector256<uint> u12, out Vector256<uint> u13);
        m0 = Avx2.Permute2x128(u00, u10, 0x20);
        m1 = Avx2.Permute2x128(u01, u11, 0x20);
        m2 = Avx2.Permute2x128(u02, u12, 0x20);
        m3 = Avx2.Permute2x128(u03, u13, 0x20);
        m4 = Avx2.Permute2x128(u00, u10, 0x31);
        m5 = Avx2.Permute2x128(u01, u11, 0x31);
        m6 = Avx2.Permute2x128(u02, u12, 0x31);
        m7 = Avx2.Permute2x128(u03, u13, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Load(byte* input, nint stride, int row)
    {
        byte* address = input + row * stride;

        // Several streams 1 KiB apart defeat the hardware prefetcher; fetch two blocks ahead as the 16-way kernel does.
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address + 128);
        }

        return Vector256.Load((uint*)address);
    }

    /// <summary>Transposes 4x4 blocks of words within each 128-bit lane of four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d,
        out Vector256<uint> w0, out Vector256<uint> w1, out Vector256<uint> w2, out Vector256<uint> w3)
    {
        Vector256<ulong> ab0 = Avx2.UnpackLow(a, b).AsUInt64();
        Vector256<ulong> ab2 = Avx2.UnpackHigh(a, b).AsUInt64();
        Vector256<ulong> cd0 = Avx2.UnpackLow(c, d).AsUInt64();
        Vector256<ulong> cd2 = Avx2.UnpackHigh(c, d).AsUInt64();
        w0 = Avx2.UnpackLow(ab0, cd0).AsUInt32();
        w1 = Avx2.UnpackHigh(ab0, cd0).AsUInt32();
        w2 = Avx2.UnpackLow(ab2, cd2).AsUInt32();
        w3 = Avx2.UnpackHigh(ab2, cd2).AsUInt32();
    }

    /// <summary>Writes lane i of h0..h7 as the 32-byte chaining value of input i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(Vector256<uint> h0, Vector256<uint> h1, Vector256<uint> h2, Vector256<uint> h3,
        Vector256<uint> h4, Vector256<uint> h5, Vector256<uint> h6, Vector256<uint> h7, byte* output)
    {
        if (!Avx2.IsSupported || !BitConverter.IsLittleEndian)
        {
            StoreTransposedPortable(h0, h1, h2, h3, h4, h5, h6, h7, output);
            return;
        }

        // Lane k of lo{j} holds words 0-3, and of hi{j} words 4-7, of input 4k+j.
        Transpose4(h0, h1, h2, h3, out Vector256<uint> lo0, out Vector256<uint> lo1, out Vector256<uint> lo2, out Vector256<uint> lo3);
        Transpose4(h4, h5, h6, h7, out Vector256<uint> hi0, out Vector256<uint> hi1, out Vector256<uint> hi2, out Vector256<uint> hi3);
        const int cv = Blake3Compression.OutLength;
        Avx2.Permute2x128(lo0, hi0, 0x20).Store((uint*)output);
        Avx2.Permute2x128(lo1, hi1, 0x20).Store((uint*)(output + cv));
        Avx2.Permute2x128(lo2, hi2, 0x20).Store((uint*)(output + 2 * cv));
        Avx2.Permute2x128(lo3, hi3, 0x20).Store((uint*)(output + 3 * cv));
        Avx2.Permute2x128(lo0, hi0, 0x31).Store((uint*)(output + 4 * cv));
        Avx2.Permute2x128(lo1, hi1, 0x31).Store((uint*)(output + 5 * cv));
        Avx2.Permute2x128(lo2, hi2, 0x31).Store((uint*)(output + 6 * cv));
        Avx2.Permute2x128(lo3, hi3, 0x31).Store((uint*)(output + 7 * cv));
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

            m[w] = Vector256.Load(words);
        }
    }

    private static void StoreTransposedPortable(Vector256<uint> h0, Vector256<uint> h1, Vector256<uint> h2, Vector256<uint> h3,
        Vector256<uint> h4, Vector256<uint> h5, Vector256<uint> h6, Vector256<uint> h7, byte* output)
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
    private static Vector256<uint> Rot16(Vector256<uint> x)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateRight(x, 16);
        }

        if (Avx2.IsSupported)
        {
            return Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();
        }

        return Vector256.ShiftRightLogical(x, 16) | Vector256.ShiftLeft(x, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rot12(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 12) : Vector256.ShiftRightLogical(x, 12) | Vector256.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rot8(Vector256<uint> x)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateRight(x, 8);
        }

        if (Avx2.IsSupported)
        {
            return Avx2.Shuffle(x.AsByte(), Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12,
                1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();
        }

        return Vector256.ShiftRightLogical(x, 8) | Vector256.ShiftLeft(x, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rot7(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 7) : Vector256.ShiftRightLogical(x, 7) | Vector256.ShiftLeft(x, 25);

    /// <summary>The transposed message block.</summary>
    [InlineArray(16)]
    private struct Message
    {
        private Vector256<uint> _element0;
    }
}
