namespace ForgeOne.Core.Repository;

/// <summary>Where the index says a blob is: its pack and its place in it.</summary>
/// <param name="PackId">The pack holding the blob.</param>
/// <param name="Type">The blob's type.</param>
/// <param name="Id">The blob's id.</param>
/// <param name="Offset">Byte offset of the sealed blob in the pack.</param>
/// <param name="Length">Length of the sealed blob in bytes.</param>
/// <param name="RawLength">Length of the blob's plaintext in bytes.</param>
public readonly record struct IndexedBlob(PackId PackId, BlobType Type, BlobId Id, long Offset, int Length, int RawLength);
