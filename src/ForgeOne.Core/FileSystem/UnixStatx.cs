using System.Runtime.InteropServices;

namespace ForgeOne.Core.FileSystem;

/// <summary>
/// Linux <c>statx(2)</c>: the only way to read inode, device, ctime and owner from .NET, which exposes none of them.
/// </summary>
/// <remarks>
/// statx rather than stat because <c>struct statx</c> has one layout on every architecture, so no per-platform
/// struct definitions are needed. The buffer is parsed by offset (linux/stat.h), in the machine's byte order. Returns null when the C library
/// lacks the call (glibc before 2.28), and the caller falls back to the managed API.
/// </remarks>
internal static partial class UnixStatx
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int BufferSize = 256;
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int ENOTDIR = 20;

    private static bool _unavailable;

    internal static unsafe FileMetadata? TryRead(string path)
    {
        if (_unavailable)
        {
            return null;
        }

        var buffer = stackalloc byte[BufferSize];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                ENOENT or ENOTDIR => new FileNotFoundException($"'{path}' does not exist.", path),
                EACCES => new UnauthorizedAccessException($"Access to '{path}' is denied."),
                _ => new IOException($"Cannot examine '{path}': {Marshal.GetPInvokeErrorMessage(errno)}."),
            };
        }

        var span = new ReadOnlySpan<byte>(buffer, BufferSize);
        var mode = MemoryMarshal.Read<ushort>(span[28..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
        var size = (long)MemoryMarshal.Read<ulong>(span[40..]);
        return new FileMetadata(
            kind,
            kind is FileKind.Regular or FileKind.SymbolicLink ? size : 0,
            mode & 0xFFF,
            MemoryMarshal.Read<uint>(span[20..]),
            MemoryMarshal.Read<uint>(span[24..]),
            Timestamp(span[112..]),
            Timestamp(span[96..]),
            Timestamp(span[64..]),
            MemoryMarshal.Read<ulong>(span[32..]),
            ((ulong)MemoryMarshal.Read<uint>(span[136..]) << 32) | MemoryMarshal.Read<uint>(span[140..]));
    }

    // struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 reserved; }
    private static DateTimeOffset Timestamp(ReadOnlySpan<byte> field) =>
        DateTimeOffset.UnixEpoch
            .AddSeconds(MemoryMarshal.Read<long>(field))
            .AddTicks(MemoryMarshal.Read<uint>(field[8..]) / 100);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
