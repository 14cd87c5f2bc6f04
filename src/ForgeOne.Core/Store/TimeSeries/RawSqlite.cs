using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// SQLite's own prepared statements, for the time-series hot paths: binding by position and reading blobs in place
/// cost a fraction of an ADO.NET command per row.
/// </summary>
internal static class RawSqlite
{
    /// <summary>Prepares a statement; dispose it before the connection closes.</summary>
    /// <param name="database">The connection's handle.</param>
    /// <param name="sql">The statement.</param>
    /// <returns>The prepared statement.</returns>
    public static sqlite3_stmt Prepare(sqlite3 database, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(database, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return statement;
    }

    /// <summary>Steps a statement: true for a row, false when done; throws on an error.</summary>
    /// <param name="database">The connection's handle.</param>
    /// <param name="statement">The statement.</param>
    /// <returns>True when a row is ready.</returns>
    public static bool Step(sqlite3 database, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return false;
    }

    /// <summary>Runs a statement that returns no rows and resets it for the next bindings.</summary>
    /// <param name="database">The connection's handle.</param>
    /// <param name="statement">The statement.</param>
    public static void Execute(sqlite3 database, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }
}
