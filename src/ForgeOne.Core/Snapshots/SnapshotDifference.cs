namespace ForgeOne.Core.Snapshots;

/// <summary>One entry that differs between two snapshots.</summary>
/// <param name="Path">
/// The entry's path relative to the root tree, '/'-separated, without a leading '/' (<c>docs/a.txt</c>).
/// </param>
/// <param name="Change">How it differs.</param>
/// <param name="OldType">Its type in the older snapshot, or null when added.</param>
/// <param name="NewType">Its type in the newer snapshot, or null when removed.</param>
/// <param name="OldSize">Its <see cref="TreeNode.Size"/> in the older snapshot, or null when added.</param>
/// <param name="NewSize">Its <see cref="TreeNode.Size"/> in the newer snapshot, or null when removed.</param>
public sealed record SnapshotDifference(
    string Path,
    ChangeKind Change,
    NodeType? OldType,
    NodeType? NewType,
    long? OldSize,
    long? NewSize);
