namespace ForgeOne.Core.Retention;

/// <summary>What makes snapshots one group for a retention policy; each group keeps its own snapshots.</summary>
[Flags]
public enum SnapshotGrouping
{
    /// <summary>All snapshots of the repository form one group.</summary>
    None = 0,

    /// <summary>Snapshots of different hosts are kept apart.</summary>
    Host = 1,

    /// <summary>Snapshots of different path sets are kept apart.</summary>
    Paths = 2,

    /// <summary>Snapshots with different tag sets are kept apart.</summary>
    Tags = 4,
}
