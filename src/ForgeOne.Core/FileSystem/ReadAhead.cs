using System.Runtime.InteropServices;
using ForgeOne.Core.Interop;

namespace ForgeOne.Core.FileSystem;

/// <summary>
/// Asks the kernel to start reading the beginning of a file into the page cache now (Linux
/// <c>posix_fadvise(POSIX_FADV_WILLNEED)</c>), so that a backup reader that gets to it later finds it there.
/// </summary>
/// <remarks>
/// A backup reads a file, then chunks and hashes what it read, then reads again: on a cold cache each reader waited for
/// the disk with nothing else in flight, and a 1 GiB first backup took about a second longer than with the data
/// cached. Asking ahead for the files a folder's readers will take next overlaps that waiting with the hashing
/// (docs/performance.md). Only a hint: nothing is read into the process, a file that cannot be opened is left for the
/// real read to report, and elsewhere than Linux it does nothing.
/// </remarks>
internal static partial class ReadAhead
{
    private const int WillNeed = 3;

    private static bool _unavailable;

    /// <summary>Asks for the first <paramref name="length"/> bytes of <paramref name="path"/> to be read ahead.</summary>
    /// <param name="path">A regular file.</param>
    /// <param name="length">Bytes from the start.</param>
    internal static void Request(string path, long length)
    {
        if (!OperatingSystem.IsLinux() || _unavailable || length <= 0)
        {
            return;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _ = Advise(checked((int)handle.DangerousGetHandle()), 0, length, WillNeed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The read that follows reports it, with the path, as a warning of the backup.
        }
        catch (Exception ex) when (NativeLibraryFailure.IsUnavailable(ex))
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Advise(int fd, long offset, long length, int advice);
}
