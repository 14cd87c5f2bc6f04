namespace ForgeOne.Core.Verification;

/// <summary>What kind of damage a check found.</summary>
public enum ProblemKind
{
    /// <summary>A snapshot refers to a blob the index does not list.</summary>
    MissingBlob,

    /// <summary>A blob failed authentication or its id does not match its content.</summary>
    DamagedBlob,

    /// <summary>A directory listing (tree blob) could not be read.</summary>
    DamagedTree,

    /// <summary>A file's chunks do not give the content hash the snapshot recorded.</summary>
    ContentMismatch,

    /// <summary>The DNA recomputed from the snapshot differs from the one it recorded.</summary>
    DnaMismatch,

    /// <summary>A snapshot object could not be opened.</summary>
    DamagedSnapshot,

    /// <summary>The index lists a pack the storage does not hold.</summary>
    MissingPack,

    /// <summary>A pack's bytes do not hash to its name, or its size differs from the index.</summary>
    DamagedPack,

    /// <summary>A pack's header is unreadable or disagrees with the index.</summary>
    PackHeaderMismatch,
}
