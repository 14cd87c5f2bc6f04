namespace ForgeOne.Core.Crypto;

/// <summary>
/// What a sealed object is. The byte value is bound into every envelope's associated data, so an object
/// relabelled as another kind fails to open.
/// </summary>
/// <remarks>
/// These values are part of the on-disk format: never renumber or reuse one. Add new kinds with new
/// values; gaps are fine. Zero is never used, so zeroed memory is never a valid kind.
/// </remarks>
public enum ObjectKind : byte
{
    /// <summary>The repository configuration (on disk: 1).</summary>
    Config = 1,

    /// <summary>A key slot's wrapped master key (on disk: 2).</summary>
    KeySlot = 2,

    /// <summary>A pack file's header listing its blobs (on disk: 3).</summary>
    PackHeader = 3,

    /// <summary>One content-defined chunk of file data (on disk: 4).</summary>
    Chunk = 4,

    /// <summary>An index file mapping chunk ids to packs (on disk: 5).</summary>
    Index = 5,

    /// <summary>A snapshot description (on disk: 6).</summary>
    Snapshot = 6,

    /// <summary>A directory tree listing (on disk: 7).</summary>
    Tree = 7,

    /// <summary>A repository lock (on disk: 8).</summary>
    Lock = 8,

    /// <summary>A segment of the tamper-evident audit log (on disk: 9).</summary>
    AuditSegment = 9,

    /// <summary>A record kept by a storage backend's metadata store (on disk: 10).</summary>
    StoreRecord = 10,

    /// <summary>Evidence attached to an audit or verification result (on disk: 11).</summary>
    Evidence = 11,

    /// <summary>A repository policy object: the retention policy's versions and legal holds (on disk: 12).</summary>
    Policy = 12,
}
