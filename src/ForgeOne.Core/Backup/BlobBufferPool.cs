namespace ForgeOne.Core.Backup;

/// <summary>
/// The backup pipeline's buffers for chunks and sealed blobs: a few blocks of unmanaged memory of any size, reused
/// best fit, shared by every thread.
/// </summary>
/// <remarks>
/// <para>The shared array pool rounds every request up to a power of two and keeps what it gets back per thread and per
/// core, so a buffer returned on one thread was often not found by a rent on another, and the same backup allocated
/// 80 to 116 MiB of buffers from run to run, which was the spread of its peak memory (133 to 154 MiB). Here a rent takes
/// the smallest kept buffer that fits, or allocates one of the size asked but at least <see cref="MinimumBufferLength"/>
/// (rounded up to 64 KiB, left uninitialized so only the bytes used become resident); a return keeps at most
/// <see cref="Capacity"/> buffers and frees the largest.</para>
/// <para>Why a floor and why the largest goes: sized to each request, the kept buffers ratcheted up towards the largest
/// chunks seen, each step an allocation on the large object heap and a dropped array left for a collection that came
/// three times in a 1 GiB backup, so garbage buffers were a good part of its peak. With buffers that fit the usual chunk
/// (two average chunks, sealed), the same few serve the whole backup, and a rare larger chunk's buffer is dropped again
/// rather than kept resident. Unmanaged, that largest one is freed at once (<see cref="NativeBuffer"/> says why).</para>
/// <para>Thread-safe. Disposing frees the kept buffers; a buffer given back after that is freed too.</para>
/// </remarks>
internal sealed class BlobBufferPool : IDisposable
{
    private const int Granularity = 64 * 1024;

    private readonly List<NativeBuffer> _free = [];
    private bool _disposed;

    /// <summary>Creates a pool that keeps at most <paramref name="capacity"/> buffers: as many as the pipeline holds at once.</summary>
    /// <param name="capacity">Buffers kept for reuse.</param>
    /// <param name="minimumBufferLength">The least length of a buffer it allocates: one that fits most requests.</param>
    public BlobBufferPool(int capacity, int minimumBufferLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumBufferLength);
        Capacity = capacity;
        MinimumBufferLength = minimumBufferLength;
    }

    /// <summary>The most buffers kept for reuse.</summary>
    public int Capacity { get; }

    /// <summary>The least length of a buffer the pool allocates.</summary>
    public int MinimumBufferLength { get; }

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes, contents unspecified.</summary>
    /// <param name="minimumLength">Bytes needed.</param>
    /// <returns>The buffer; give it back with <see cref="Return"/>.</returns>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public NativeBuffer Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        lock (_free)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
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
                var buffer = _free[best];
                _free.RemoveAt(best);
                return buffer;
            }
        }

        var wanted = Math.Max(Math.Max(minimumLength, MinimumBufferLength), 1);
        var length = (int)Math.Min(((long)wanted + Granularity - 1) / Granularity * Granularity, Array.MaxLength);
        return new NativeBuffer(length);
    }

    /// <summary>
    /// Gives a buffer back for reuse, with the pages past <paramref name="usedLength"/> handed back to the operating
    /// system; when the pool is full, the largest is freed.
    /// </summary>
    /// <param name="buffer">A buffer from <see cref="Rent"/>, which the caller no longer uses.</param>
    /// <param name="usedLength">Bytes the caller may have written, from the start; its whole length when unknown.</param>
    public void Return(NativeBuffer buffer, int usedLength)
    {
        ArgumentNullException.ThrowIfNull(buffer);

        // Before the buffer is in the list, where another thread could rent it and write to the pages being released.
        buffer.ReleaseUnused(usedLength);
        lock (_free)
        {
            if (_disposed)
            {
                buffer.Free();
                return;
            }

            _free.Add(buffer);
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

                _free[largest].Free();
                _free.RemoveAt(largest);
            }
        }
    }

    /// <summary>Frees every kept buffer.</summary>
    public void Dispose()
    {
        lock (_free)
        {
            _disposed = true;
            foreach (var buffer in _free)
            {
                buffer.Free();
            }

            _free.Clear();
        }
    }
}
