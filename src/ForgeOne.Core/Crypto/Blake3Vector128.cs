using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Compresses 4 inputs at once, one per 32-bit lane of <see cref="Vector128{T}"/> (the reference's
/// <c>blake3_hash4_sse41</c> and <c>blake3_hash4_neon</c>): message words are transposed so that vector <c>m[w]</c>
/// holds word <c>w</c> of every input.
/// </summary>
/// <remarks>
/// Rotations use AVX-512VL's <c>vprord</c> when present, else SSSE3 byte shuffles (by 16 and 8) and shift pairs.
/// Transposes use SSE2 unpacks or AdvSimd zips; elsewhere the portable <see cref="Vector128{T}"/> code runs.
/// </remarks>
internal static unsafe class Blake3Vector128
{
    internal const int Degree = 4;

    /// <summary>
    /// Hashes 4 inputs of <paramref name="blocks"/> blocks each, <paramref name="stride"/> bytes apart, writing
    /// 4 chaining values of 32 bytes.
    /// </summary>
    // Fully optimised from the first call: the unoptimised (tier-0) code of this large method is many times slower.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Hash4(byte* input, nint stride, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        Vector128<uint> h0 = Vector128.Create(key[0]), h1 = Vector128.Create(key[1]), h2 = Vector128.Create(key[2]), h3 = Vector128.Create(key[3]);
        Vector128<uint> h4 = Vector128.Create(key[4]), h5 = Vector128.Create(key[5]), h6 = Vector128.Create(key[6]), h7 = Vector128.Create(key[7]);

        Vector128<uint> counterLow = Vector128.Create((uint)counter);
        Vector128<uint> counterHigh = Vector128.Create((uint)(counter >> 32));
        if (incrementCounter)
        {
            Vector128<uint> low = counterLow + Vector128.Create(0u, 1, 2, 3);

            // A lane whose low word wrapped around carries into the high word (the all-ones mask is -1).
            counterHigh -= Vector128.LessThan(low, counterLow);
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

            Vector128<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            Vector128<uint> v8 = Vector128.Create(Blake3Compression.IV0), v9 = Vector128.Create(Blake3Compression.IV1);
            Vector128<uint> v10 = Vector128.Create(Blake3Compression.IV2), v11 = Vector128.Create(Blake3Compression.IV3);
            Vector128<uint> v12 = counterLow, v13 = counterHigh;
            Vector128<uint> v14 = Vector128.Create((uint)Blake3Compression.BlockLength), v15 = Vector128.Create(blockFlags);

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

    /// <summary>Whether <see cref="Transpose4"/> has a hardware implementation.</summary>
    private static bool CanTranspose => (Sse2.IsSupported || AdvSimd.Arm64.IsSupported) && BitConverter.IsLittleEndian;

    /// <summary>Loads block-sized rows of 4 inputs and transposes them so that <c>m[w]</c> holds word <c>w</c> of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(byte* input, nint stride, ref Message m)
    {
        if (!CanTranspose)
        {
            LoadTransposedPortable(input, stride, ref m);
            return;
        }

        // Four words of each input at a time: a 4x4 transpose gives four message vectors.
        Transpose4(Load(input, stride, 0), Load(input, stride, 1), Load(input, stride, 2), Load(input, stride, 3),
            out m[0], out m[1], out m[2], out m[3]);
        Transpose4(Load(input + 16, stride, 0), Load(input + 16, stride, 1), Load(input + 16, stride, 2), Load(input + 16, stride, 3),
            out m[4], out m[5], out m[6], out m[7]);
        Transpose4(Load(input + 32, stride, 0), Load(input + 32, stride, 1), Load(input + 32, stride, 2), Load(input + 32, stride, 3),
            out m[8], out m[9], out m[10], out m[11]);
        Transpose4(Load(input + 48, stride, 0), Load(input + 48, stride, 1), Load(input + 48, stride, 2), Load(input + 48, stride, 3),
            out m[12], out m[13], out m[14], out m[15]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Load(byte* input, nint stride, int row) => Vector128.Load((uint*)(input + row * stride));

    /// <summary>Transposes a 4x4 matrix of words held in four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(Vector128<uint> a, Vector128<uint> b, Vector128<uint> c, Vector128<uint> d,
        out Vector128<uint> w0, out Vector128<uint> w1, out Vector128<uint> w2, out Vector128<uint> w3)
    {
        if (Sse2.IsSupported)
        {
            Vector128<ulong> ab0 = Sse2.UnpackLow(a, b).AsUInt64();
            Vector128<ulong> ab2 = Sse2.UnpackHigh(a, b).AsUInt64();
            Vector128<ulong> cd0 = Sse2.UnpackLow(c, d).AsUInt64();
            Vector128<ulong> cd2 = Sse2.UnpackHigh(c, d).AsUInt64();
            w0 = Sse2.UnpackLow(ab0, cd0).AsUInt32();
            w1 = Sse2.UnpackHigh(ab0, cd0).AsUInt32();
            w2 = Sse2.UnpackLow(ab2, cd2).AsUInt32();
            w3 = Sse2.UnpackHigh(ab2, cd2).AsUInt32();
        }
        else
        {
            Vector128<ulong> ab0 = AdvSimd.Arm64.ZipLow(a, b).AsUInt64();
            Vector128<ulong> ab2 = AdvSimd.Arm64.ZipHigh(a, b).AsUInt64();
            Vector128<ulong> cd0 = AdvSimd.Arm64.ZipLow(c, d).AsUInt64();
            Vector128<ulong> cd2 = AdvSimd.Arm64.ZipHigh(c, d).AsUInt64();
            w0 = AdvSimd.Arm64.ZipLow(ab0, cd0).AsUInt32();
            w1 = AdvSimd.Arm64.ZipHigh(ab0, cd0).AsUInt32();
            w2 = AdvSimd.Arm64.ZipLow(ab2, cd2).AsUInt32();
            w3 = AdvSimd.Arm64.ZipHigh(ab2, cd2).AsUInt32();
        }
    }

    /// <summary>Writes lane i of h0..h7 as the 32-byte chaining value of input i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(Vector128<uint> h0, Vector128<uint> h1, Vector128<uint> h2, Vector128<uint> h3,
        Vector128<uint> h4, Vector128<uint> h5, Vector128<uint> h6, Vector128<uint> h7, byte* output)
    {
        if (!CanTranspose)
        {
            StoreTransposedPortable(h0, h1, h2, h3, h4, h5, h6, h7, output);
            return;
        }

        // lo{j} holds words 0-3, and hi{j} words 4-7, of input j.
        Transpose4(h0, h1, h2, h3, out Vector128<uint> lo0, out Vector128<uint> lo1, out Vector128<uint> lo2, out Vector128<uint> lo3);
        Transpose4(h4, h5, h6, h7, out Vector128<uint> hi0, out Vector128<uint> hi1, out Vector128<uint> hi2, out Vector128<uint> hi3);
        const int cv = Blake3Compression.OutLength;
        lo0.Store((uint*)output);
        hi0.Store((uint*)(output + 16));
        lo1.Store((uint*)(output + cv));
        hi1.Store((uint*)(output + cv + 16));
        lo2.Store((uint*)(output + 2 * cv));
        hi2.Store((uint*)(output + 2 * cv + 16));
        lo3.Store((uint*)(output + 3 * cv));
        hi3.Store((uint*)(output + 3 * cv + 16));
    }

    [SkipLocalsInit]
    private static void LoadTransposedPortable(byte* input, nint stride, ref Message m)
    {
        for (int w = 0; w < 16; w++)
        {
            m[w] = Vector128.Create(
                BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(input + 4 * w, 4)),
                BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(input + stride + 4 * w, 4)),
                BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(input + 2 * stride + 4 * w, 4)),
                BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(input + 3 * stride + 4 * w, 4)));
        }
    }

    private static void StoreTransposedPortable(Vector128<uint> h0, Vector128<uint> h1, Vector128<uint> h2, Vector128<uint> h3,
        Vector128<uint> h4, Vector128<uint> h5, Vector128<uint> h6, Vector128<uint> h7, byte* output)
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
    internal static Vector128<uint> Rot16(Vector128<uint> x)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateRight(x, 16);
        }

        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(x.AsByte(), Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();
        }

        if (AdvSimd.IsSupported)
        {
            // Swapping the 16-bit halves of each word is a rotation by 16.
            return AdvSimd.ReverseElement16(x.AsInt32()).AsUInt32();
        }

        return Vector128.ShiftRightLogical(x, 16) | Vector128.ShiftLeft(x, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> Rot12(Vector128<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 12) : Vector128.ShiftRightLogical(x, 12) | Vector128.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> Rot8(Vector128<uint> x)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.RotateRight(x, 8);
        }

        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(x.AsByte(), Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();
        }

        return Vector128.ShiftRightLogical(x, 8) | Vector128.ShiftLeft(x, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> Rot7(Vector128<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 7) : Vector128.ShiftRightLogical(x, 7) | Vector128.ShiftLeft(x, 25);

    /// <summary>The transposed message block.</summary>
    [InlineArray(16)]
    private struct Message
    {
        private Vector128<uint> _element0;
    }
}
