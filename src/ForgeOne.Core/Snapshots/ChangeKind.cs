namespace ForgeOne.Core.Snapshots;

/// <summary>How an entry differs between two snapshots.</summary>
public enum ChangeKind
{
    /// <summary>Only the newer snapshot has the entry.</summary>
    Added = 1,

    /// <summary>Only the older snapshot has the entry.</summary>
    Removed = 2,

    /// <summary>
    /// Same type, different data: a file's size or content hash, or a symbolic link's target. Metadata may have
    /// changed too.
    /// </summary>
    Modified = 3,

    /// <summary>The entry changed type (a file became a directory, for example).</summary>
    TypeChanged = 4,

    /// <summary>
    /// Same type and data; mode, owner (ids or names) or modification time differ. Status change time, access
    /// time, inode and device are not compared: a restore or a read changes them without changing the entry.
    /// </summary>
    MetadataChanged = 5,
}
