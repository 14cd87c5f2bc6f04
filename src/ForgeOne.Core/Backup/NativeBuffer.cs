using System.Buffers;
using System.Runtime.InteropServices;
using ForgeOne.Core.Interop;

namespace ForgeOne.Core.Backup;

/// <summary>
/// A page-aligned block of unmanaged memory for chunks and sealed blobs in the backup pipeline: back with the allocator
/// the moment it is freed, and able to give the pages its last use did not need back to the operating system.
/// </summary>
/// <remarks>
/// <para>Why not an array: a pipeline buffer the pool lets go (one sized for a rare large chunk) was a large-object-heap
/// array left for a generation-2 collection, which came three times in a 1 GiB backup, so dropped buffers were 15 to
/// 20 MiB of that backup's peak memory (docs/performance.md). Freed memory is back with the allocator at once.</para>
/// <para>Why release pages: a pooled buffer is sized for two average chunks, and once any chunk filled it, all of it
/// stayed resident while it carried 1 MiB chunks or 300 KiB sealed text. <see cref="ReleaseUnused"/> hands the pages
/// past the bytes used back (Linux <c>madvise(MADV_DONTNEED)</c>; elsewhere it does nothing), so a kept buffer costs
/// about what it carried last.</para>
/// <para>Whoever holds the buffer owns it: exactly one owner frees it (or gives it back to the pool), and nothing may
/// use its memory afterwards. There is no finalizer on purpose: one could free the memory under a span still in use
/// (CA2015). Every buffer the pipeline rents goes back to its pool, on failure paths too, and the pool frees what it
/// keeps when it is disposed.</para>
/// </remarks>
internal sealed unsafe partial class NativeBuffer : MemoryManager<byte>
{
    private const int DontNeed = 4;

    // Less than this past the bytes used is left resident: not worth a system call.
    private const int ReleaseThreshold = 64 * 1024;

    private static readonly int PageSize = Environment.SystemPageSize;
    private static bool _releaseUnavailable = !OperatingSystem.IsLinux();

    // An address rather than a pointer so that freeing can take it atomically: a second free does nothing.
    private nint _pointer;

    // How far pages may be resident: the most any use wrote since pages were last released.
    private int _resident;

    /// <summary>Allocates <paramref name="length"/> bytes, contents unspecified.</summary>
    /// <param name="length">Bytes; at least 1.</param>
    /// <exception cref="OutOfMemoryException">The allocator has no block that large.</exception>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _pointer = (nint)NativeMemory.AlignedAlloc((nuint)length, (nuint)PageSize);
        Length = length;
        _resident = length;
    }

    /// <summary>The buffer's size in bytes.</summary>
    public int Length { get; }

    /// <summary>The whole buffer.</summary>
    public Span<byte> Span => GetSpan();

    /// <inheritdoc />
    public override Span<byte> GetSpan()
    {
        var pointer = _pointer;
        ObjectDisposedException.ThrowIf(pointer == 0, this);
        return new Span<byte>((byte*)pointer, Length);
    }

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        var pointer = _pointer;
        ObjectDisposedException.ThrowIf(pointer == 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        return new MemoryHandle((byte*)pointer + elementIndex);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
        // Unmanaged memory never moves.
    }

    /// <summary>
    /// Says the last use wrote only the first <paramref name="usedLength"/> bytes, and gives the whole pages past them
    /// back to the operating system; their contents become unspecified (zeros on Linux). The owner calls it only while
    /// nothing else uses the buffer.
    /// </summary>
    /// <param name="usedLength">Bytes the last use may have written, from the start.</param>
    public void ReleaseUnused(int usedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usedLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(usedLength, Length);
        var pointer = _pointer;
        ObjectDisposedException.ThrowIf(pointer == 0, this);
        var resident = Math.Max(_resident, usedLength);
        var from = (int)Math.Min(((long)usedLength + PageSize - 1) / PageSize * PageSize, Length);
        var to = (int)Math.Min(((long)resident + PageSize - 1) / PageSize * PageSize, Length / PageSize * PageSize);
        if (_releaseUnavailable || to - from < ReleaseThreshold)
        {
            _resident = resident;
            return;
        }

        try
        {
            _resident = Advise(pointer + from, (nuint)(to - from), DontNeed) == 0 ? usedLength : resident;
        }
        catch (Exception ex) when (NativeLibraryFailure.IsUnavailable(ex))
        {
            _releaseUnavailable = true;
            _resident = resident;
        }
    }

    /// <summary>Frees the memory; a second call does nothing.</summary>
    public void Free() => ((IDisposable)this).Dispose();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        var pointer = Interlocked.Exchange(ref _pointer, 0);
        if (pointer != 0)
        {
            NativeMemory.AlignedFree((void*)pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}
