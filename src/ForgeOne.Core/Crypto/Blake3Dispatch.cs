using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ForgeOne.Core.Crypto;

/// <summary>Chooses the many-input kernel and runs the widest one that fits, finishing the remainder with narrower ones.</summary>
internal static unsafe class Blake3Dispatch
{
    /// <summary>The widest kernel this CPU accelerates; <see cref="Blake3Backend.Auto"/> resolves to it.</summary>
    internal static Blake3Backend Best { get; } = DetectBest();

    /// <summary>Replaces <see cref="Blake3Backend.Auto"/> with <see cref="Best"/>; forced backends stay as they are.</summary>
    internal static Blake3Backend Resolve(Blake3Backend backend) => backend == Blake3Backend.Auto ? Best : backend;

    /// <summary>How many inputs the resolved backend compresses at once.</summary>
    internal static int SimdDegree(Blake3Backend resolved) => resolved switch
    {
        Blake3Backend.Vector512 => 16,
        Blake3Backend.Vector256 => 8,
        Blake3Backend.Vector128 => 4,
        _ => 1,
    };

    /// <summary>
    /// Hashes <paramref name="count"/> equal-length inputs laid out back to back (whole chunks, or pairs of child
    /// chaining values for parent nodes) and writes their 32-byte chaining values to <paramref name="output"/>.
    /// </summary>
    internal static void HashMany(Blake3Backend resolved, byte* inputs, nint count, int blocks, uint* key, ulong counter,
        bool incrementCounter, uint flags, uint flagsStart, uint flagsEnd, byte* output)
    {
        nint stride = blocks * Blake3Compression.BlockLength;
        if (resolved >= Blake3Backend.Vector512)
        {
            for (; count >= Blake3Vector512.Degree; count -= Blake3Vector512.Degree)
            {
                Blake3Vector512.Hash16(inputs, stride, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, output);
                inputs += Blake3Vector512.Degree * stride;
                output += Blake3Vector512.Degree * Blake3Compression.OutLength;
                counter += incrementCounter ? Blake3Vector512.Degree : 0UL;
            }
        }

        if (resolved >= Blake3Backend.Vector256)
        {
            for (; count >= Blake3Vector256.Degree; count -= Blake3Vector256.Degree)
            {
                Blake3Vector256.Hash8(inputs, stride, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, output);
                inputs += Blake3Vector256.Degree * stride;
                output += Blake3Vector256.Degree * Blake3Compression.OutLength;
                counter += incrementCounter ? Blake3Vector256.Degree : 0UL;
            }
        }

        if (resolved >= Blake3Backend.Vector128)
        {
            for (; count >= Blake3Vector128.Degree; count -= Blake3Vector128.Degree)
            {
                Blake3Vector128.Hash4(inputs, stride, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, output);
                inputs += Blake3Vector128.Degree * stride;
                output += Blake3Vector128.Degree * Blake3Compression.OutLength;
                counter += incrementCounter ? Blake3Vector128.Degree : 0UL;
            }
        }

        Blake3Scalar.HashMany(inputs, count, blocks, key, counter, incrementCounter, flags, flagsStart, flagsEnd, output);
    }

    private static Blake3Backend DetectBest()
    {
        // The vector kernels load message words straight from memory, which assumes little-endian order.
        if (!BitConverter.IsLittleEndian)
        {
            return Blake3Backend.Scalar;
        }

        if (Avx512F.IsSupported || Vector512.IsHardwareAccelerated)
        {
            return Blake3Backend.Vector512;
        }

        if (Avx2.IsSupported || Vector256.IsHardwareAccelerated)
        {
            return Blake3Backend.Vector256;
        }

        if (Sse2.IsSupported || AdvSimd.IsSupported || Vector128.IsHardwareAccelerated)
        {
            return Blake3Backend.Vector128;
        }

        return Blake3Backend.Scalar;
    }
}
