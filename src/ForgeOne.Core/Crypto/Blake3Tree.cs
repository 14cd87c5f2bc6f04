using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Crypto;

/// <summary>
/// Hashes whole subtrees of the BLAKE3 tree, many chunks and parents at a time, as the reference
/// implementation's <c>compress_subtree_wide</c> does, optionally spreading the work over several cores.
/// </summary>
/// <remarks>
/// Everything works on raw pointers so that inputs larger than 2 GiB (memory-mapped files) and work items handed
/// to other threads need no copies. Callers keep the memory pinned for the duration of the call.
/// </remarks>
internal static unsafe class Blake3Tree
{
    internal const int MaxSimdDegree = 16;

    /// <summary>Subtrees at least this long are split across cores (when allowed).</summary>
    internal const long ParallelThreshold = 4L << 20;

    /// <summary>The size of the subtrees handed to worker threads: big enough to amortise scheduling.</summary>
    internal const int ParallelLeafLength = 256 << 10;

    /// <summary>The most input hashed by one parallel loop, which bounds the leaf results to about 0.5 MiB.</summary>
    internal const long ParallelBatchLength = 256L << 20;

    // One leaf's result: at most MaxSimdDegree chaining values (or 2 for the scalar backend).
    private const int LeafResultLength = MaxSimdDegree * Blake3Compression.OutLength;

    /// <summary>The largest power of two not above <paramref name="x"/> (x &gt; 0).</summary>
    internal static ulong LargestPowerOfTwoAtMost(ulong x) => 1UL << (63 - BitOperations.LeadingZeroCount(x));

    /// <summary>
    /// Hashes a subtree of more than one chunk down to its two children's chaining values (64 bytes), leaving the
    /// last parent compression to the caller, who alone knows whether it is the root.
    /// </summary>
    [SkipLocalsInit]
    internal static void CompressSubtreeToParentNode(byte* input, long length, uint* key, ulong chunkCounter, uint flags,
        Blake3Backend resolved, int maxDegreeOfParallelism, byte* output64)
    {
        byte* cvs = stackalloc byte[MaxSimdDegree * Blake3Compression.OutLength];
        int count = maxDegreeOfParallelism != 1 && length >= ParallelThreshold
            ? CompressSubtreeWideParallel(input, length, key, chunkCounter, flags, resolved, maxDegreeOfParallelism, cvs)
            : CompressSubtreeWide(input, length, key, chunkCounter, flags, resolved, cvs);

        // Wide backends return up to MaxSimdDegree chaining values; condense them to a single pair.
        byte* parents = stackalloc byte[MaxSimdDegree / 2 * Blake3Compression.OutLength];
        while (count > 2)
        {
            count = CompressParentsParallel(cvs, count, key, flags, resolved, parents);
            Buffer.MemoryCopy(parents, cvs, MaxSimdDegree * Blake3Compression.OutLength, count * Blake3Compression.OutLength);
        }

        Buffer.MemoryCopy(cvs, output64, 2 * Blake3Compression.OutLength, 2 * Blake3Compression.OutLength);
    }

    /// <summary>
    /// Hashes a subtree and writes the chaining values of its topmost full level that has at most the SIMD degree of
    /// nodes (at least two when the input has more than one chunk); returns how many were written.
    /// </summary>
    [SkipLocalsInit]
    internal static int CompressSubtreeWide(byte* input, long length, uint* key, ulong chunkCounter, uint flags,
        Blake3Backend resolved, byte* output)
    {
        int degree = Blake3Dispatch.SimdDegree(resolved);
        if (length <= (long)degree * Blake3Compression.ChunkLength)
        {
            return CompressChunksParallel(input, length, key, chunkCounter, flags, resolved, output);
        }

        long leftLength = LeftLength(length);
        ulong rightCounter = chunkCounter + (ulong)(leftLength / Blake3Compression.ChunkLength);
        byte* cvs = stackalloc byte[2 * MaxSimdDegree * Blake3Compression.OutLength];

        // The scalar backend at the leaves returns one chaining value per side; otherwise each side fills a full slot.
        int leftSlots = leftLength == Blake3Compression.ChunkLength ? 1 : Math.Max(degree, 2);
        int leftCount = CompressSubtreeWide(input, leftLength, key, chunkCounter, flags, resolved, cvs);
        int rightCount = CompressSubtreeWide(input + leftLength, length - leftLength, key, rightCounter, flags, resolved,
            cvs + leftSlots * Blake3Compression.OutLength);
        return Combine(cvs, leftCount, rightCount, key, flags, resolved, output);
    }

    /// <summary>
    /// The same result as <see cref="CompressSubtreeWide"/>, computed by hashing fixed-size leaves on several threads
    /// first and then walking the same recursion over their stored results.
    /// </summary>
    [SkipLocalsInit]
    internal static int CompressSubtreeWideParallel(byte* input, long length, uint* key, ulong chunkCounter, uint flags,
        Blake3Backend resolved, int maxDegreeOfParallelism, byte* output, long batchLength = ParallelBatchLength)
    {
        if (length > batchLength)
        {
            // Splitting exactly as CompressSubtreeWide does keeps the result identical while bounding the memory
            // for leaf results, however large the input (a file of terabytes).
            long leftLength = LeftLength(length);
            ulong rightCounter = chunkCounter + (ulong)(leftLength / Blake3Compression.ChunkLength);
            byte* cvs = stackalloc byte[2 * MaxSimdDegree * Blake3Compression.OutLength];
            int leftSlots = Math.Max(Blake3Dispatch.SimdDegree(resolved), 2);
            int leftCount = CompressSubtreeWideParallel(input, leftLength, key, chunkCounter, flags, resolved, maxDegreeOfParallelism,
                cvs, batchLength);
            int rightCount = CompressSubtreeWideParallel(input + leftLength, length - leftLength, key, rightCounter, flags, resolved,
                maxDegreeOfParallelism, cvs + leftSlots * Blake3Compression.OutLength, batchLength);
            return Combine(cvs, leftCount, rightCount, key, flags, resolved, output);
        }

        // Every node longer than a leaf splits at a multiple of the leaf length (left sides are powers of two of at
        // least one leaf), so the nodes at or below leaf size are exactly the consecutive leaf-sized pieces.
        long leafCount = (length + ParallelLeafLength - 1) / ParallelLeafLength;
        byte[] results = ArrayPool<byte>.Shared.Rent((int)(leafCount * (LeafResultLength + 1)));
        try
        {
            fixed (byte* resultsPointer = results)
            {
                var job = new ParallelJob((nint)input, length, (nint)key, chunkCounter, flags, resolved, (nint)resultsPointer, leafCount);
                var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
                Parallel.For(0, leafCount, options, job.HashLeaf);
                return CombineLeaves(job, 0, length, chunkCounter, output);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(results);
        }
    }

    /// <summary>
    /// Span form of the subtree hash for tests: the chaining values <see cref="CompressSubtreeWide"/> returns for the
    /// unkeyed hash, computed on one thread when <paramref name="maxDegreeOfParallelism"/> is 1 and otherwise in
    /// parallel batches of <paramref name="batchLength"/> bytes.
    /// </summary>
    internal static byte[] SubtreeChainingValues(ReadOnlySpan<byte> input, Blake3Backend backend, int maxDegreeOfParallelism, long batchLength)
    {
        Blake3Words8 key = Blake3Compression.IV;
        Blake3Backend resolved = Blake3Dispatch.Resolve(backend);
        byte[] cvs = new byte[MaxSimdDegree * Blake3Compression.OutLength];
        fixed (byte* pointer = input)
        fixed (byte* output = cvs)
        {
            int count = maxDegreeOfParallelism == 1
                ? CompressSubtreeWide(pointer, input.Length, (uint*)&key, 0, 0, resolved, output)
                : CompressSubtreeWideParallel(pointer, input.Length, (uint*)&key, 0, 0, resolved, maxDegreeOfParallelism, output, batchLength);
            return cvs[..(count * Blake3Compression.OutLength)];
        }
    }

    [SkipLocalsInit]
    private static int CombineLeaves(ParallelJob job, long offset, long length, ulong chunkCounter, byte* output)
    {
        if (length <= ParallelLeafLength)
        {
            long leaf = offset / ParallelLeafLength;
            int count = job.LeafCounts[leaf];
            Buffer.MemoryCopy(job.LeafResult(leaf), output, LeafResultLength, count * Blake3Compression.OutLength);
            return count;
        }

        int degree = Blake3Dispatch.SimdDegree(job.Resolved);
        long leftLength = LeftLength(length);
        ulong rightCounter = chunkCounter + (ulong)(leftLength / Blake3Compression.ChunkLength);
        byte* cvs = stackalloc byte[2 * MaxSimdDegree * Blake3Compression.OutLength];
        int leftSlots = Math.Max(degree, 2);
        int leftCount = CombineLeaves(job, offset, leftLength, chunkCounter, cvs);
        int rightCount = CombineLeaves(job, offset + leftLength, length - leftLength, rightCounter, cvs + leftSlots * Blake3Compression.OutLength);
        return Combine(cvs, leftCount, rightCount, (uint*)job.Key, job.Flags, job.Resolved, output);
    }

    private static int Combine(byte* cvs, int leftCount, int rightCount, uint* key, uint flags, Blake3Backend resolved, byte* output)
    {
        // With one chaining value per side (scalar backend at the leaves), return both rather than merging them, so
        // that the caller always gets at least two and never compresses what might be the root.
        if (leftCount == 1)
        {
            Buffer.MemoryCopy(cvs, output, 2 * Blake3Compression.OutLength, 2 * Blake3Compression.OutLength);
            return 2;
        }

        return CompressParentsParallel(cvs, leftCount + rightCount, key, flags, resolved, output);
    }

    /// <summary>Hashes the whole chunks of <paramref name="input"/> at once, then the partial last chunk if any.</summary>
    private static int CompressChunksParallel(byte* input, long length, uint* key, ulong chunkCounter, uint flags,
        Blake3Backend resolved, byte* output)
    {
        int wholeChunks = (int)(length / Blake3Compression.ChunkLength);
        Blake3Dispatch.HashMany(resolved, input, wholeChunks, Blake3Compression.BlocksPerChunk, key, chunkCounter, true, flags,
            Blake3Compression.ChunkStart, Blake3Compression.ChunkEnd, output);

        int remainder = (int)(length - (long)wholeChunks * Blake3Compression.ChunkLength);
        if (remainder == 0)
        {
            return wholeChunks;
        }

        Blake3Words8 keyWords = default;
        new ReadOnlySpan<uint>(key, 8).CopyTo(keyWords);
        var chunk = new Blake3ChunkState(keyWords, chunkCounter + (ulong)wholeChunks, flags);
        chunk.Update(new ReadOnlySpan<byte>(input + (long)wholeChunks * Blake3Compression.ChunkLength, remainder));
        chunk.Output().ChainingValue(new Span<byte>(output + wholeChunks * Blake3Compression.OutLength, Blake3Compression.OutLength));
        return wholeChunks + 1;
    }

    /// <summary>Compresses adjacent pairs of chaining values into parents; an odd one out is passed up unchanged.</summary>
    internal static int CompressParentsParallel(byte* cvs, int count, uint* key, uint flags, Blake3Backend resolved, byte* output)
    {
        int parents = count / 2;
        Blake3Dispatch.HashMany(resolved, cvs, parents, 1, key, 0, false, flags | Blake3Compression.Parent, 0, 0, output);
        if ((count & 1) == 0)
        {
            return parents;
        }

        Buffer.MemoryCopy(cvs + parents * 2 * Blake3Compression.OutLength, output + parents * Blake3Compression.OutLength,
            Blake3Compression.OutLength, Blake3Compression.OutLength);
        return parents + 1;
    }

    /// <summary>The left subtree's length: the largest power-of-two number of whole chunks that leaves input on the right.</summary>
    private static long LeftLength(long length)
    {
        ulong fullChunks = (ulong)(length - 1) / Blake3Compression.ChunkLength;
        return (long)LargestPowerOfTwoAtMost(fullChunks) * Blake3Compression.ChunkLength;
    }

    /// <summary>The shared inputs of one parallel subtree hash; pointers are stored as integers so the worker delegate can carry them.</summary>
    private sealed class ParallelJob(nint input, long length, nint key, ulong chunkCounter, uint flags, Blake3Backend resolved, nint results, long leafCount)
    {
        internal nint Key { get; } = key;

        internal uint Flags { get; } = flags;

        internal Blake3Backend Resolved { get; } = resolved;

        internal byte* LeafCounts => (byte*)results + leafCount * LeafResultLength;

        internal byte* LeafResult(long leaf) => (byte*)results + leaf * LeafResultLength;

        internal void HashLeaf(long leaf)
        {
            long offset = leaf * ParallelLeafLength;
            long leafLength = Math.Min(ParallelLeafLength, length - offset);
            ulong leafCounter = chunkCounter + (ulong)(offset / Blake3Compression.ChunkLength);
            LeafCounts[leaf] = (byte)CompressSubtreeWide((byte*)input + offset, leafLength, (uint*)Key, leafCounter, Flags, Resolved, LeafResult(leaf));
        }
    }
}
