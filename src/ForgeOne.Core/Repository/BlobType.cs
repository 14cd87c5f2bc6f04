namespace ForgeOne.Core.Repository;

/// <summary>
/// What a blob holds. The values are stored on disk (pack headers, index files) and never change or get reused.
/// </summary>
public enum BlobType : byte
{
    /// <summary>A chunk of file content; sealed as <see cref="Crypto.ObjectKind.Chunk"/>.</summary>
    Data = 0,

    /// <summary>A directory listing (tree); sealed as <see cref="Crypto.ObjectKind.Tree"/>.</summary>
    Tree = 1,
}
