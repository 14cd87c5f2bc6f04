namespace ForgeOne.Core.Store;

/// <summary>The four kinds of database a store is made of.</summary>
public enum StoreDatabaseKind
{
    /// <summary><c>system.redb</c>: store metadata, key epochs, snapshots, metrics and settings. Never sharded.</summary>
    System = 0,

    /// <summary><c>logs_shard_N.redb</c>: log entries, their topic/time index and consumer checkpoints.</summary>
    Logs = 1,

    /// <summary><c>blobs_shard_N.redb</c>: blob metadata, content-addressed chunks and the name index.</summary>
    Blobs = 2,

    /// <summary><c>events_shard_N.redb</c>: event messages, their topic/time index, topics and checkpoints.</summary>
    Events = 3,
}
