namespace ForgeOne.Core.Backup;

/// <summary>
/// The backup pipeline's buffers for chunks and sealed blobs: a few arrays of any size, reused best fit, shared by
/// every thread.
/// </summary>
/// <remarks>
/// <para>The shared array pool rounds every request up to a power of two and keeps what it gets back per thread and per
/// core, so a buffer returned on one thread was often not found by a rent on another, and the same backup allocated
/// 80 to 116 MiB of buffers from run to run, which was the spread of its peak memory (133 to 154 MiB). Here a rent takes
/// the smallest kept array that fits, or allocates one of the size asked but at least <see cref="MinimumArrayLength"/>
/// (rounded up to 64 KiB, left uninitialized so only the bytes used become resident); a return keeps at most
/// <see cref="Capacity"/> arrays and lets the largest go.</para>
/// <para>Why a floor and why the largest goes: sized to each request, the kept arrays ratcheted up towards the largest
/// chunks seen, each step an allocation on the large object heap and a dropped array left for a collection that came
/// three times in a 1 GiB backup, so garbage buffers were a good part of its peak. With arrays that fit the usual chunk
/// (two average chunks, sealed), the same few serve the whole backup, and a rare larger chunk's array is dropped again
/// rather than kept resident.</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal sealed class BlobBufferPool
{
    private const int Granularity = 64 * 1024;

    private readonly List<byte[]> _free = [];

    /// <summary>Creates a pool that keeps at most <paramref name="capacity"/> arrays: as many as the pipeline holds at once.</summary>
    /// <param name="capacity">Arrays kept for reuse.</param>
    /// <param name="minimumArrayLength">The least length of an array it allocates: one that fits most requests.</param>
    public BlobBufferPool(int capacity, int minimumArrayLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumArrayLength);
        Capacity = capacity;
        MinimumArrayLength = minimumArrayLength;
    }

    /// <summary>The most arrays kept for reuse.</summary>
    public int Capacity { get; }

    /// <summary>The least length of an array the pool allocates.</summary>
    public int MinimumArrayLength { get; }

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes, contents unspecified.</summary>
    /// <param name="minimumLength">Bytes needed.</param>
    /// <returns>The array; give it back with <see cref="Return"/>.</returns>
    public byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        lock (_free)
        {
            var best = -1;
            for (var index = 0; index < _free.Count; index++)
            {
                if (_free[index].Length >= minimumLength && (best < 0 || _free[index].Length < _free[best].Length))
                {
                    best = index;
                }
            }

            if (best >= 0)
            {
                var array = _free[best];
                _free.RemoveAt(best);
                return array;
            }
        }

        var wanted = Math.Max(Math.Max(minimumLength, MinimumArrayLength), 1);
        var length = (int)Math.Min(((long)wanted + Granularity - 1) / Granularity * Granularity, Array.MaxLength);
        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Gives an array back for reuse; when the pool is full, the largest array goes to the garbage collector.</summary>
    /// <param name="array">An array from <see cref="Rent"/>.</param>
    public void Return(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        lock (_free)
        {
            _free.Add(array);
            if (_free.Count > Capacity)
            {
                var largest = 0;
                for (var index = 1; index < _free.Count; index++)
                {
                    if (_free[index].Length > _free[largest].Length)
                    {
                        largest = index;
                    }
                }

                _free.RemoveAt(largest);
            }
        }
    }
}
