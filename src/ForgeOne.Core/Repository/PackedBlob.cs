namespace ForgeOne.Core.Repository;

/// <summary>Where one blob sits inside a pack: an entry of a pack header or an index file.</summary>
/// <param name="Type">The blob's type.</param>
/// <param name="Id">The blob's id (keyed hash of its plaintext).</param>
/// <param name="Offset">Byte offset of the sealed blob from the start of the pack.</param>
/// <param name="Length">Length of the sealed blob in the pack, in bytes (at least the 47-byte envelope overhead).</param>
/// <param name="RawLength">Length of the blob's plaintext, in bytes.</param>
public readonly record struct PackedBlob(BlobType Type, BlobId Id, long Offset, int Length, int RawLength);
