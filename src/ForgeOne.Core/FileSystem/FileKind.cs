namespace ForgeOne.Core.FileSystem;

/// <summary>The type of a file system entry, as far as backups care.</summary>
public enum FileKind
{
    /// <summary>A regular file: backed up with its content.</summary>
    Regular,

    /// <summary>A directory: backed up as a tree.</summary>
    Directory,

    /// <summary>A symbolic link: backed up as its target text, never followed.</summary>
    SymbolicLink,

    /// <summary>A device, FIFO or socket: skipped by backups.</summary>
    Other,
}
