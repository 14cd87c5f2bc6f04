namespace ForgeOne.Core.Backup;

/// <summary>What to back up and how.</summary>
public sealed record BackupOptions
{
    /// <summary>Files and folders to back up; each becomes one entry at the top of the snapshot, named by its last segment.</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary>Globs of paths to leave out (see <see cref="PathFilter"/>).</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Leave out the contents of folders marked with a CACHEDIR.TAG file (the tag itself is kept).</summary>
    public bool ExcludeCaches { get; init; }

    /// <summary>Leave out files larger than this many bytes.</summary>
    public long? MaxFileSize { get; init; }

    /// <summary>Tags recorded in the snapshot, for finding it later.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Read every file, even those the parent snapshot says are unchanged.</summary>
    public bool Force { get; init; }

    /// <summary>The snapshot to compare with; by default the newest one of this host and these paths.</summary>
    public string? Parent { get; init; }

    /// <summary>The host name recorded; by default this machine's.</summary>
    public string? Host { get; init; }

    /// <summary>Files read at once; each holds one chunk buffer (twice the maximum chunk size).</summary>
    public int ReadConcurrency { get; init; } = 2;

    /// <summary>
    /// The paths recorded in the snapshot instead of <see cref="Paths"/>: a store backup reads a staged copy of the
    /// store's databases but records the store's own folder. Null records <see cref="Paths"/>.
    /// </summary>
    internal IReadOnlyList<string>? RecordedPaths { get; init; }

    /// <summary>The store manifest recorded in the snapshot of a store backup; null for other backups.</summary>
    internal Snapshots.StoreManifest? Store { get; init; }
}
