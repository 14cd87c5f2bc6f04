using System.Globalization;

namespace ForgeOne.Core.Store;

/// <summary>
/// Where a store's files are: one folder holding <c>system.redb</c>, the shards of each kind, the subject-key
/// vault and the snapshot folder. Shard counts are fixed when the store is created.
/// </summary>
public sealed class StoreLayout
{
    /// <summary>The most shards of one kind a store may have: 16.</summary>
    public const int MaximumShards = 16;

    /// <summary>The subject-key vault's file name. Kept apart from the backed-up databases on purpose (docs/store.md).</summary>
    public const string SubjectVaultFileName = "subjects.redb";

    /// <summary>The folder under the store that holds point-in-time snapshots.</summary>
    public const string SnapshotFolderName = "snapshots";

    /// <summary>The file every process using the store holds a shared lock on.</summary>
    public const string LockFileName = "store.lock";

    /// <summary>Creates a layout.</summary>
    /// <param name="directory">The store's folder.</param>
    /// <param name="logShards">Number of log shards, 1 to 16.</param>
    /// <param name="blobShards">Number of blob shards, 1 to 16.</param>
    /// <param name="eventShards">Number of event shards, 1 to 16.</param>
    /// <exception cref="ArgumentOutOfRangeException">A shard count is outside 1 to 16.</exception>
    public StoreLayout(string directory, int logShards, int blobShards, int eventShards)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        LogShards = RequireShardCount(logShards, nameof(logShards));
        BlobShards = RequireShardCount(blobShards, nameof(blobShards));
        EventShards = RequireShardCount(eventShards, nameof(eventShards));
    }

    /// <summary>The store's folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>Number of log shards.</summary>
    public int LogShards { get; }

    /// <summary>Number of blob shards.</summary>
    public int BlobShards { get; }

    /// <summary>Number of event shards.</summary>
    public int EventShards { get; }

    /// <summary>Every database of the store: system first, then logs, blobs and events by shard.</summary>
    public IReadOnlyList<StoreDatabase> Databases =>
    [
        StoreDatabase.System,
        .. Shards(StoreDatabaseKind.Logs),
        .. Shards(StoreDatabaseKind.Blobs),
        .. Shards(StoreDatabaseKind.Events),
    ];

    /// <summary>The path of the system database.</summary>
    public string SystemPath => PathOf(StoreDatabase.System);

    /// <summary>The path of the subject-key vault.</summary>
    public string SubjectVaultPath => Path.Combine(Directory, SubjectVaultFileName);

    /// <summary>The folder that holds snapshots.</summary>
    public string SnapshotDirectory => Path.Combine(Directory, SnapshotFolderName);

    /// <summary>The lock file's path.</summary>
    public string LockPath => Path.Combine(Directory, LockFileName);

    /// <summary>Number of shards of <paramref name="kind"/>; 1 for the system database.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The shard count.</returns>
    public int ShardCount(StoreDatabaseKind kind) => kind switch
    {
        StoreDatabaseKind.System => 1,
        StoreDatabaseKind.Logs => LogShards,
        StoreDatabaseKind.Blobs => BlobShards,
        StoreDatabaseKind.Events => EventShards,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };

    /// <summary>The databases of one kind, by shard.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The databases.</returns>
    public IEnumerable<StoreDatabase> Shards(StoreDatabaseKind kind) =>
        Enumerable.Range(0, ShardCount(kind)).Select(shard => new StoreDatabase(kind, shard));

    /// <summary>The full path of a database's file.</summary>
    /// <param name="database">The database.</param>
    /// <returns>The path.</returns>
    public string PathOf(StoreDatabase database) => Path.Combine(Directory, database.FileName);

    /// <summary>True when this store has <paramref name="database"/> (its shard number is below the kind's count).</summary>
    /// <param name="database">The database.</param>
    /// <returns>Whether it belongs to the store.</returns>
    public bool Contains(StoreDatabase database) => database.Shard < ShardCount(database.Kind);

    /// <summary>
    /// Resolves what a user named: a file name (<c>logs_shard_0.redb</c>), a kind (<c>logs</c>: all its shards)
    /// or <c>All</c>.
    /// </summary>
    /// <param name="selector">The name.</param>
    /// <returns>The databases it names, in layout order.</returns>
    /// <exception cref="ArgumentException">The name is none of these, or a shard this store does not have.</exception>
    public IReadOnlyList<StoreDatabase> Select(string selector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        var name = selector.Trim();
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Databases;
        }

        if (Enum.TryParse<StoreDatabaseKind>(name, ignoreCase: true, out var kind) && !char.IsDigit(name[0]))
        {
            return [.. Shards(kind)];
        }

        if (!StoreDatabase.TryParse(name, out var database))
        {
            throw new ArgumentException(
                $"'{selector}' names no database. Use All, system, logs, blobs, events, or a file name such as logs_shard_0.redb.",
                nameof(selector));
        }

        if (!Contains(database!))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"This store has {ShardCount(database!.Kind)} {database.Kind.ToString().ToLowerInvariant()} shard(s), so it has no {database.FileName}."),
                nameof(selector));
        }

        return [database!];
    }

    private static int RequireShardCount(int count, string name)
    {
        if (count is < 1 or > MaximumShards)
        {
            throw new ArgumentOutOfRangeException(name, count, $"A store has 1 to {MaximumShards} shards of each kind.");
        }

        return count;
    }
}
