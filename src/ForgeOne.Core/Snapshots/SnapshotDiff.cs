namespace ForgeOne.Core.Snapshots;

/// <summary>Everything that differs between two snapshots' trees, with counts per kind of change.</summary>
/// <remarks>Two snapshots are equal in content when <see cref="Differences"/> is empty.</remarks>
public sealed record SnapshotDiff
{
    /// <summary>Creates the result from the differences, counting them.</summary>
    /// <param name="differences">The differences, in the order <see cref="SnapshotComparer"/> reports them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="differences"/> is null.</exception>
    public SnapshotDiff(IEnumerable<SnapshotDifference> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var list = differences.ToArray();
        Differences = Array.AsReadOnly(list);
        foreach (var difference in list)
        {
            switch (difference.Change)
            {
                case ChangeKind.Added: Added++; break;
                case ChangeKind.Removed: Removed++; break;
                case ChangeKind.Modified: Modified++; break;
                case ChangeKind.TypeChanged: TypeChanged++; break;
                case ChangeKind.MetadataChanged: MetadataChanged++; break;
            }
        }
    }

    /// <summary>The differences: parents before their entries, entries of a directory in name order.</summary>
    public IReadOnlyList<SnapshotDifference> Differences { get; }

    /// <summary>How many entries were added.</summary>
    public int Added { get; }

    /// <summary>How many entries were removed.</summary>
    public int Removed { get; }

    /// <summary>How many entries changed data.</summary>
    public int Modified { get; }

    /// <summary>How many entries changed type.</summary>
    public int TypeChanged { get; }

    /// <summary>How many entries changed only metadata.</summary>
    public int MetadataChanged { get; }
}
