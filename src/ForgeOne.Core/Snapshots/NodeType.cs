namespace ForgeOne.Core.Snapshots;

/// <summary>What a <see cref="TreeNode"/> is. Devices, FIFOs and sockets are not backed up, so have no type.</summary>
/// <remarks>Zero is not a type, so a node whose type was never set fails validation instead of passing as a file.</remarks>
public enum NodeType
{
    /// <summary>A regular file: its content is a list of chunk blobs (in tree JSON: <c>"file"</c>).</summary>
    File = 1,

    /// <summary>A directory: its entries are another tree blob (in tree JSON: <c>"dir"</c>).</summary>
    Directory = 2,

    /// <summary>A symbolic link, stored as its target text and never followed (in tree JSON: <c>"symlink"</c>).</summary>
    Symlink = 3,
}
