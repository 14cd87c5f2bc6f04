namespace ForgeOne.Core.FileSystem;

/// <summary>
/// What a backup records about a file system entry and uses to decide whether a file changed since the parent
/// snapshot: type, size, mode, owner, times, and the inode and device that tell a replaced file from an edited one.
/// </summary>
/// <param name="Kind">Regular file, directory, symbolic link, or something a backup skips.</param>
/// <param name="Size">Length in bytes (files); the byte length of the target (symlinks); 0 otherwise.</param>
/// <param name="Mode">Unix permission bits (0 on Windows, where they do not exist).</param>
/// <param name="Uid">Owner user id, when the platform reports one.</param>
/// <param name="Gid">Owner group id, when the platform reports one.</param>
/// <param name="ModifiedTime">Last write time, UTC.</param>
/// <param name="ChangeTime">Unix status change time (ctime), UTC, when the platform reports one.</param>
/// <param name="AccessTime">Last access time, UTC.</param>
/// <param name="Inode">Inode number, or 0 when unknown.</param>
/// <param name="DeviceId">Device holding the entry, or 0 when unknown.</param>
public sealed record FileMetadata(
    FileKind Kind,
    long Size,
    int Mode,
    long? Uid,
    long? Gid,
    DateTimeOffset ModifiedTime,
    DateTimeOffset? ChangeTime,
    DateTimeOffset? AccessTime,
    ulong Inode,
    ulong DeviceId)
{
    /// <summary>Reads the metadata of <paramref name="path"/> without following a symbolic link.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The entry cannot be examined.</exception>
    /// <exception cref="IOException">The entry cannot be examined.</exception>
    public static FileMetadata Read(string path) =>
        (OperatingSystem.IsLinux() ? UnixStatx.TryRead(path) : null) ?? ReadManaged(path);

    /// <summary>
    /// True when a file with this metadata can be taken to have the same content as one recorded with
    /// <paramref name="recorded"/>: same size, modification time, and (where known) ctime, inode and device.
    /// </summary>
    public bool LooksUnchangedSince(FileMetadata recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return Kind == recorded.Kind
            && Size == recorded.Size
            && ModifiedTime == recorded.ModifiedTime
            && (ChangeTime is null || recorded.ChangeTime is null || ChangeTime == recorded.ChangeTime)
            && (Inode == 0 || recorded.Inode == 0 || (Inode == recorded.Inode && DeviceId == recorded.DeviceId));
    }

    // Windows, macOS, or a Linux C library without statx: what the platform's managed API knows.
    private static FileMetadata ReadManaged(string path)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists)
        {
            info = new DirectoryInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"'{path}' does not exist.", path);
            }
        }

        var kind = info.LinkTarget is not null ? FileKind.SymbolicLink
            : info is DirectoryInfo ? FileKind.Directory
            : FileKind.Regular;
        var size = kind switch
        {
            FileKind.Regular => ((FileInfo)info).Length,
            FileKind.SymbolicLink => System.Text.Encoding.UTF8.GetByteCount(info.LinkTarget!),
            _ => 0,
        };
        var mode = OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode;
        return new FileMetadata(kind, size, mode, null, null, info.LastWriteTimeUtc, null, info.LastAccessTimeUtc, 0, 0);
    }
}
