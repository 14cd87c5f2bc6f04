namespace ForgeOne.Core.Snapshots;

/// <summary>Receives the entries of a DNA listing; implemented by the hashing writer and by <see cref="DnaListing"/>.</summary>
internal interface IDnaSink
{
    /// <summary>Adds one entry; <paramref name="hashHex"/> is 64 zeros for a directory.</summary>
    void Append(NodeType type, string relativePath, long size, string hashHex);
}
