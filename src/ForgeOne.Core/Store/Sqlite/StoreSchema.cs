namespace ForgeOne.Core.Store.Sqlite;

/// <summary>
/// The tables of each kind of store database, schema version 2 (docs/store.md describes every column).
/// </summary>
/// <remarks>
/// <para>Every record table has the same three columns: the record's key, the key <c>epoch</c> it is sealed
/// under, and <c>value</c>, the compressed and sealed record (<see cref="Records.RecordFormat"/>). Log entries and
/// events are sealed in blocks of one topic; their index tables hold one row per block with only what range queries
/// need in clear: a keyed 64-bit tag of the topic (never its name), the block's first and last timestamp in
/// microseconds, its first and last record id and its record count. The span tables keep, per topic tag, the longest
/// time a block of that topic covers, which bounds how far before a query's start a block holding its first records
/// can begin.</para>
/// <para>Schema 1 had one index row per record: 35 of the 118 bytes a log entry took on disk, and a b-tree insert
/// per entry. Schema 2 files are not readable by builds of schema 1, nor the reverse.</para>
/// <para>Each file says what it is twice: <c>PRAGMA application_id</c> marks it as a ForgeOne store database and
/// <c>shard_info</c> names the store, kind and shard, so a file put in the wrong place is refused.</para>
/// </remarks>
public static class StoreSchema
{
    /// <summary>The schema version, kept in <c>PRAGMA user_version</c>.</summary>
    public const int Version = 2;

    /// <summary><c>PRAGMA application_id</c> of every store database: "FRDB".</summary>
    public const int ApplicationId = 0x46524442;

    /// <summary>
    /// SQLite page size of log and event databases, set at creation: 64 KiB. Their values are blocks of records of
    /// 2 to 12 KiB sealed; with SQLite's default 4 KiB pages most spilled into overflow pages and left about a tenth of
    /// each page empty (measured: 124.9 bytes per log entry at 4 KiB, 123.4 at 16 KiB, 118.9 at 32 KiB, 117.9 at
    /// 64 KiB). Other databases keep SQLite's default.
    /// </summary>
    public const int TimeSeriesPageSize = 64 * 1024;

    /// <summary>The page size a new database of <paramref name="kind"/> is created with.</summary>
    /// <param name="kind">The database kind.</param>
    /// <returns>Bytes per page; 4096 is SQLite's default.</returns>
    public static int PageSize(StoreDatabaseKind kind) =>
        kind is StoreDatabaseKind.Logs or StoreDatabaseKind.Events ? TimeSeriesPageSize : 4096;

    private const string Common = """
        CREATE TABLE shard_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, salt BLOB NOT NULL, created INTEGER NOT NULL);
        CREATE TABLE dictionaries (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        """;

    private const string System = """
        CREATE TABLE metadata (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE snapshots (id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE metrics (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE settings (key INTEGER NOT NULL, version INTEGER NOT NULL, epoch INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (key, version)) WITHOUT ROWID;
        CREATE TABLE audit (slot INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        """;

    private const string Logs = """
        CREATE TABLE logs (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE log_index (topic INTEGER NOT NULL, timestamp INTEGER NOT NULL, id INTEGER NOT NULL, last_timestamp INTEGER NOT NULL, last_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (topic, timestamp, id)) WITHOUT ROWID;
        CREATE INDEX log_index_by_id ON log_index (topic, last_id);
        CREATE TABLE log_spans (topic INTEGER PRIMARY KEY, span INTEGER NOT NULL);
        CREATE TABLE checkpoints (consumer INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        """;

    private const string Blobs = """
        CREATE TABLE blob_metadata (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE blob_chunks (blob_id INTEGER NOT NULL, chunk_index INTEGER NOT NULL, chunk BLOB NOT NULL, PRIMARY KEY (blob_id, chunk_index)) WITHOUT ROWID;
        CREATE TABLE chunks (id BLOB PRIMARY KEY, refs INTEGER NOT NULL, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE blob_index (name BLOB PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private const string Events = """
        CREATE TABLE events (id INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE event_index (topic INTEGER NOT NULL, timestamp INTEGER NOT NULL, id INTEGER NOT NULL, last_timestamp INTEGER NOT NULL, last_id INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (topic, timestamp, id)) WITHOUT ROWID;
        CREATE INDEX event_index_by_id ON event_index (topic, last_id);
        CREATE TABLE event_spans (topic INTEGER PRIMARY KEY, span INTEGER NOT NULL);
        CREATE TABLE topics (topic INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        CREATE TABLE checkpoints (consumer INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, value BLOB NOT NULL);
        """;

    /// <summary>The statements that create a database of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>SQL to run in one transaction on an empty file.</returns>
    public static string CreateStatements(StoreDatabaseKind kind) => Common + kind switch
    {
        StoreDatabaseKind.System => System,
        StoreDatabaseKind.Logs => Logs,
        StoreDatabaseKind.Blobs => Blobs,
        StoreDatabaseKind.Events => Events,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };

    /// <summary>
    /// The record tables of <paramref name="kind"/> that carry a sealed <c>value</c> and an <c>epoch</c>, with
    /// their key column: what key rotation re-seals and what logical DNA covers. system.redb's <c>audit</c> table is
    /// left out on purpose: its records are about the data, not data, each is signed and hash-chained, and it grows
    /// with every operation (a snapshot's DNA would otherwise differ from its database's a moment later).
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <returns>(table, key column) pairs in canonical order.</returns>
    public static IReadOnlyList<(string Table, string KeyColumn)> SealedTables(StoreDatabaseKind kind) => kind switch
    {
        StoreDatabaseKind.System => [("dictionaries", "id"), ("metrics", "id"), ("settings", "key, version"), ("snapshots", "id")],
        StoreDatabaseKind.Logs => [("checkpoints", "consumer"), ("dictionaries", "id"), ("logs", "id")],
        StoreDatabaseKind.Blobs => [("blob_metadata", "id"), ("chunks", "id"), ("dictionaries", "id")],
        StoreDatabaseKind.Events => [("checkpoints", "consumer"), ("dictionaries", "id"), ("events", "id"), ("topics", "topic")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };

    /// <summary>
    /// The plain tables of <paramref name="kind"/> whose rows logical DNA covers as they are (indexes and maps):
    /// (table, ordering columns).
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <returns>(table, ordering columns) pairs in canonical order.</returns>
    public static IReadOnlyList<(string Table, string OrderBy)> PlainTables(StoreDatabaseKind kind) => kind switch
    {
        StoreDatabaseKind.System => [],
        StoreDatabaseKind.Logs => [("log_index", "topic, timestamp, id"), ("log_spans", "topic")],
        StoreDatabaseKind.Blobs => [("blob_chunks", "blob_id, chunk_index"), ("blob_index", "name")],
        StoreDatabaseKind.Events => [("event_index", "topic, timestamp, id"), ("event_spans", "topic")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown database kind."),
    };
}
