using System.Runtime.InteropServices;

namespace ForgeOne.Core.Storage;

/// <summary>
/// Gives a finished file its final name only if that name is free, as one atomic step, and flushes directory
/// entries to disk: the two file system operations <see cref="LocalStorageBackend"/> needs that .NET does not
/// offer portably.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="File.Move(string, string, bool)"/> with <c>overwrite: false</c> is <b>not</b> atomic on Unix: .NET
/// checks that the destination is missing with <c>lstat</c> and then calls <c>rename</c>, which replaces whatever
/// appeared in between. With 16 threads moving different files to one name, more than one "succeeds" (silently
/// overwriting the others) in about a third of the attempts on Linux with .NET 10. So on Unix this class calls the
/// C library directly:
/// </para>
/// <list type="bullet">
/// <item><description>Linux: <c>renameat2(…, RENAME_NOREPLACE)</c>, which the kernel performs atomically under the
/// directory lock and fails with <c>EEXIST</c> when the name is taken (ext4, XFS, Btrfs, tmpfs, overlayfs, FAT and
/// exFAT support it). Where the kernel, the file system, the C library or a seccomp filter refuses it, the next
/// method is used.</description></item>
/// <item><description>Other Unix systems, and the Linux fallback: <c>link(temporary, final)</c>, which POSIX defines
/// to fail with <c>EEXIST</c> if the final name exists, then <c>unlink(temporary)</c>. A crash between the two
/// leaves a second name for a complete file in the temporary folder, which cleanup removes. File systems without
/// hard links (FAT on macOS, some network and FUSE mounts) fail here, rather than silently losing atomicity.
/// </description></item>
/// <item><description>Windows: <see cref="File.Move(string, string, bool)"/>, which is <c>MoveFileEx</c> without
/// <c>MOVEFILE_REPLACE_EXISTING</c>: one atomic rename that fails when the destination exists.</description></item>
/// </list>
/// <para>
/// The C functions are called with source-generated <see cref="LibraryImportAttribute"/> stubs, which work with
/// trimming and native AOT. The runtime resolves the library name "libc" to the platform's C library.
/// </para>
/// </remarks>
internal static partial class NoReplaceFileMove
{
    /// <summary>Which primitive to use on Unix; tests force <see cref="HardLink"/> to cover the fallback.</summary>
    internal enum Method
    {
        /// <summary>The best available: <c>renameat2</c> on Linux, <c>link</c> elsewhere.</summary>
        Automatic,

        /// <summary>Always <c>link</c> then <c>unlink</c> on Unix.</summary>
        HardLink,
    }

    private const int AtCurrentWorkingDirectory = -100;
    private const uint RenameNoReplace = 1;

    // EEXIST and EINVAL have the same numbers on Linux, macOS and the BSDs.
    private const int ErrorExists = 17;
    private const int ErrorInvalid = 22;
    private const int LinuxErrorNotImplemented = 38;
    private const int LinuxErrorNotSupported = 95;
    private const int MacErrorNotSupported = 45;

    private const int OpenReadOnly = 0;
    private const int LinuxOpenCloseOnExec = 0x80000;
    private const int MacOpenCloseOnExec = 0x1000000;
    private const int FreeBsdOpenCloseOnExec = 0x100000;

    // Cleared once the C library or kernel shows it has no renameat2, so later moves go straight to link().
    private static volatile bool s_renameAt2Available = OperatingSystem.IsLinux();

    /// <summary>
    /// True while <c>renameat2</c> is believed to work (Linux only); cleared for good once the C library or kernel
    /// shows it is missing. Lets tests confirm which primitive this machine uses.
    /// </summary>
    internal static bool RenameNoReplaceAvailable => s_renameAt2Available;

    /// <summary>Gives <paramref name="source"/> the name <paramref name="destination"/> unless that name exists.</summary>
    /// <param name="source">The finished file's current path.</param>
    /// <param name="destination">The final path; its folder must exist.</param>
    /// <param name="method">The Unix primitive to use.</param>
    /// <returns>
    /// True when the file now has the final name (and, on success, no longer has the source name, except when the
    /// last step of a link-then-unlink failed); false when the destination existed and nothing changed.
    /// </returns>
    /// <exception cref="IOException">The move failed for another reason; the message carries the system's.</exception>
    /// <exception cref="UnauthorizedAccessException">Windows denied access.</exception>
    internal static bool TryMove(string source, string destination, Method method)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(source, destination, overwrite: false);
                return true;
            }
            catch (IOException ex) when (IsWindowsAlreadyExists(ex))
            {
                return false;
            }
        }

        if (method == Method.Automatic && s_renameAt2Available)
        {
            var renamed = TryRenameNoReplace(source, destination, out var error);
            if (renamed)
            {
                return true;
            }

            if (error == ErrorExists)
            {
                return false;
            }

            // Anything else (EINVAL from a file system without RENAME_NOREPLACE, EPERM from a seccomp filter, or a
            // real failure): link() either works or reports the real problem with its own errno.
        }

        if (Link(source, destination) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == ErrorExists)
            {
                return false;
            }

            throw Failure("link", error, source, destination);
        }

        // The object is complete under its final name now; the temporary name is only a second link to it. If
        // removing it fails, the backend's temporary-file cleanup removes it later.
        _ = Unlink(source);
        return true;
    }

    /// <summary>
    /// Flushes a directory's entries to disk (<c>fsync</c> on the directory), so that a name just created in it
    /// survives a power failure. Does nothing on Windows, where NTFS journals directory changes and .NET offers no
    /// way to flush a directory.
    /// </summary>
    /// <param name="directory">The directory to flush.</param>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    /// <remarks>
    /// .NET cannot do this itself: <see cref="File.OpenHandle"/> and <see cref="FileStream"/> refuse to open a
    /// directory on Unix. File systems that cannot flush a directory (<c>EINVAL</c>, <c>ENOTSUP</c>) are skipped, as
    /// restic does.
    /// </remarks>
    internal static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var closeOnExec = OperatingSystem.IsLinux() ? LinuxOpenCloseOnExec
            : OperatingSystem.IsMacOS() ? MacOpenCloseOnExec
            : OperatingSystem.IsFreeBSD() ? FreeBsdOpenCloseOnExec
            : 0;

        // open() is variadic, but its optional mode argument is only read with O_CREAT, so this two-argument
        // declaration is safe on every ABI.
        var descriptor = Open(directory, OpenReadOnly | closeOnExec);
        if (descriptor < 0)
        {
            throw Failure("open", Marshal.GetLastPInvokeError(), directory, null);
        }

        try
        {
            if (FileSync(descriptor) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                var unsupported = error == ErrorInvalid
                    || (OperatingSystem.IsLinux() && error == LinuxErrorNotSupported)
                    || (OperatingSystem.IsMacOS() && error == MacErrorNotSupported);
                if (!unsupported)
                {
                    throw Failure("fsync", error, directory, null);
                }
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static bool TryRenameNoReplace(string source, string destination, out int error)
    {
        try
        {
            if (RenameAt2(AtCurrentWorkingDirectory, source, AtCurrentWorkingDirectory, destination, RenameNoReplace) == 0)
            {
                error = 0;
                return true;
            }

            error = Marshal.GetLastPInvokeError();
            if (error == LinuxErrorNotImplemented)
            {
                s_renameAt2Available = false;
            }

            return false;
        }
        catch (EntryPointNotFoundException)
        {
            // C libraries older than glibc 2.28 lack the wrapper.
            s_renameAt2Available = false;
            error = LinuxErrorNotImplemented;
            return false;
        }
    }

    private static bool IsWindowsAlreadyExists(IOException exception)
    {
        const int errorFileExists = 80;
        const int errorAlreadyExists = 183;
        var code = exception.HResult & 0xFFFF;
        return code is errorFileExists or errorAlreadyExists;
    }

    private static IOException Failure(string function, int error, string path, string? secondPath)
    {
        var paths = secondPath is null ? $"'{path}'" : $"'{path}' to '{secondPath}'";
        return new IOException($"{function}() of {paths} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
