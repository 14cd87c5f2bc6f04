namespace ForgeOne.Core.Evidence;

/// <summary>One file of an evidence package as the manifest lists it.</summary>
/// <param name="Path">Its path inside the zip, '/'-separated.</param>
/// <param name="Blake3">The BLAKE3 of its bytes, lowercase hex.</param>
/// <param name="Bytes">Its length.</param>
public sealed record EvidenceFile(string Path, string Blake3, long Bytes);
