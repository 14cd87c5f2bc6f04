using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Sqlite;

/// <summary>
/// Opens store database files with the settings every store connection shares: WAL journal, NORMAL sync,
/// a busy timeout instead of immediate "database is locked" errors, and no connection pooling.
/// </summary>
/// <remarks>
/// Pooling is off so that disposing a connection really closes the file: restore renames and replaces
/// database files, which a pooled handle would keep open (and on Windows, locked).
/// WAL lets readers and one writer work at once, which snapshots taken while writers continue rely on.
/// </remarks>
public static class StoreConnection
{
    /// <summary>How long a statement waits for another connection's lock before failing: 30 s.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Opens an existing database file for reading and writing.</summary>
    /// <param name="path">The file.</param>
    /// <returns>An open connection the caller disposes.</returns>
    /// <exception cref="SqliteException">The file does not exist or is not a database.</exception>
    public static SqliteConnection OpenReadWrite(string path) => Open(path, SqliteOpenMode.ReadWrite);

    /// <summary>Creates a new database file, or opens it if it exists.</summary>
    /// <param name="path">The file.</param>
    /// <returns>An open connection the caller disposes.</returns>
    public static SqliteConnection OpenOrCreate(string path) => Open(path, SqliteOpenMode.ReadWriteCreate);

    /// <summary>Opens a database file read-only (snapshots, verification of restored files).</summary>
    /// <param name="path">The file.</param>
    /// <returns>An open connection the caller disposes.</returns>
    public static SqliteConnection OpenReadOnly(string path) => Open(path, SqliteOpenMode.ReadOnly);

    /// <summary>Runs one statement that returns nothing.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="sql">The statement.</param>
    /// <param name="transaction">The transaction it runs in, if any.</param>
    public static void Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one statement and returns the first column of the first row.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="sql">The statement.</param>
    /// <param name="transaction">The transaction it runs in, if any.</param>
    /// <returns>The value, or null when there is no row.</returns>
    public static object? Scalar(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>
    /// Runs <c>PRAGMA integrity_check</c> and returns its findings: an empty list when SQLite says "ok".
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <returns>The problems SQLite reports.</returns>
    public static IReadOnlyList<string> IntegrityCheck(this SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        using var reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read())
        {
            var line = reader.GetString(0);
            if (line != "ok")
            {
                problems.Add(line);
            }
        }

        return problems;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            connection.Execute($"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            if (mode != SqliteOpenMode.ReadOnly)
            {
                connection.Execute("PRAGMA journal_mode = WAL");
                connection.Execute("PRAGMA synchronous = NORMAL");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
