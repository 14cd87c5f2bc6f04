using System.Buffers;

namespace ForgeOne.Core.Repository;

/// <summary>A blob's plaintext in an array rented from the shared pool, given back when disposed.</summary>
/// <remarks>
/// Restores and verifications read a chunk, hash it, write it and forget it; a fresh array for each (about 1 MiB, so
/// on the large object heap) made a 1 GiB restore allocate 1 GiB and collect generation 2 some sixty times.
/// </remarks>
internal sealed class PooledBlob(byte[] array, int length) : IMemoryOwner<byte>
{
    private byte[]? _array = array;

    public Memory<byte> Memory => _array is { } array
        ? array.AsMemory(0, length)
        : throw new ObjectDisposedException(nameof(PooledBlob));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
