using System.Text.Json;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Logs;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Bench;

/// <summary>
/// The store benchmark's baseline: the same log entries in one plain SQLite file, unencrypted and uncompressed,
/// set up the way a careful application would (WAL, synchronous=NORMAL, a 64 MiB page cache, one prepared insert
/// reused for every row, one transaction per batch, an index on (topic, timestamp)).
/// </summary>
internal sealed class StoreSqliteBaseline : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _topic;
    private readonly SqliteParameter _timestamp;
    private readonly SqliteParameter _severity;
    private readonly SqliteParameter _message;
    private readonly SqliteParameter _metadata;
    private readonly SqliteParameter _marker;
    private readonly SqliteParameter _hash;
    private readonly byte[] _hashBuffer = new byte[32];

    /// <summary>Creates the file and its table and index.</summary>
    /// <param name="path">The database file; must not exist.</param>
    public StoreSqliteBaseline(string path)
    {
        Path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute("PRAGMA synchronous = NORMAL");
        Execute("PRAGMA cache_size = -65536");
        Execute("PRAGMA temp_store = MEMORY");
        Execute("""
            CREATE TABLE logs (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, timestamp INTEGER NOT NULL, severity INTEGER NOT NULL,
                message TEXT NOT NULL, metadata TEXT, checkpoint_marker TEXT, content_hash BLOB NOT NULL);
            CREATE INDEX logs_topic_timestamp ON logs (topic, timestamp);
            """);
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO logs (topic, timestamp, severity, message, metadata, checkpoint_marker, content_hash) VALUES ($topic, $timestamp, $severity, $message, $metadata, $marker, $hash)";
        _topic = _insert.Parameters.Add("$topic", SqliteType.Text);
        _timestamp = _insert.Parameters.Add("$timestamp", SqliteType.Integer);
        _severity = _insert.Parameters.Add("$severity", SqliteType.Integer);
        _message = _insert.Parameters.Add("$message", SqliteType.Text);
        _metadata = _insert.Parameters.Add("$metadata", SqliteType.Text);
        _marker = _insert.Parameters.Add("$marker", SqliteType.Text);
        _hash = _insert.Parameters.Add("$hash", SqliteType.Blob);
        _insert.Prepare();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Inserts one batch in one transaction, computing each row's BLAKE3 content hash and metadata JSON.</summary>
    /// <param name="batch">The entries.</param>
    public void Insert(List<LogEntry> batch)
    {
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        foreach (var entry in batch)
        {
            _topic.Value = entry.Topic;
            _timestamp.Value = (entry.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
            _severity.Value = (int)entry.Severity;
            _message.Value = entry.Message;
            _metadata.Value = JsonSerializer.Serialize(entry.Metadata);
            _marker.Value = (object?)entry.CheckpointMarker ?? DBNull.Value;
            Blake3.Hash(System.Text.Encoding.UTF8.GetBytes(entry.Message), _hashBuffer);
            _hash.Value = _hashBuffer;
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Reads up to <paramref name="limit"/> entries of a topic and time range, in timestamp order, as full entries.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="from">Earliest timestamp, inclusive.</param>
    /// <param name="to">Latest timestamp, exclusive.</param>
    /// <param name="limit">Most entries returned.</param>
    /// <returns>The entries.</returns>
    public List<LogEntry> Query(string topic, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT id, topic, timestamp, severity, message, metadata, checkpoint_marker, content_hash FROM logs
            WHERE topic = $topic AND timestamp >= $from AND timestamp < $to ORDER BY timestamp, id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$from", (from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        command.Parameters.AddWithValue("$to", (to.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var entries = new List<LogEntry>(limit);
        while (reader.Read())
        {
            entries.Add(new LogEntry
            {
                Id = reader.GetInt64(0),
                Topic = reader.GetString(1),
                Timestamp = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (reader.GetInt64(2) * 10), TimeSpan.Zero),
                Severity = (LogSeverity)reader.GetInt32(3),
                Message = reader.GetString(4),
                Metadata = reader.IsDBNull(5) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5))!,
                CheckpointMarker = reader.IsDBNull(6) ? null : reader.GetString(6),
                ContentHash = ObjectNames.ToHex((byte[])reader.GetValue(7)),
            });
        }

        return entries;
    }

    /// <summary>Moves the WAL into the main file and truncates it, so the file sizes are the data's.</summary>
    public void Checkpoint() => Execute("PRAGMA wal_checkpoint(TRUNCATE)");

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
