using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Sqlite;

/// <summary>Reads and writes the key/value rows of <c>system.redb</c>'s <c>metadata</c> table.</summary>
public static class MetadataTable
{
    /// <summary>Reads a row's bytes.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The value, or null when the row is missing.</returns>
    public static byte[]? Get(SqliteConnection connection, string key, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM metadata WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>Reads a text row.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The text, or null when the row is missing.</returns>
    public static string? GetText(SqliteConnection connection, string key, SqliteTransaction? transaction = null) =>
        Get(connection, key, transaction) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Reads an integer row.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>The number, or null when the row is missing.</returns>
    public static int? GetInt(SqliteConnection connection, string key, SqliteTransaction? transaction = null) =>
        GetText(connection, key, transaction) is { } text ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : null;

    /// <summary>Writes a row, replacing any previous value.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="value">The value.</param>
    /// <param name="transaction">The transaction, if any.</param>
    public static void Set(SqliteConnection connection, string key, byte[] value, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO metadata (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    /// <summary>Writes a text row.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="value">The text.</param>
    /// <param name="transaction">The transaction, if any.</param>
    public static void SetText(SqliteConnection connection, string key, string value, SqliteTransaction? transaction = null) =>
        Set(connection, key, Encoding.UTF8.GetBytes(value), transaction);

    /// <summary>Deletes a row.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="key">The row's key.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>True when a row was deleted.</returns>
    public static bool Delete(SqliteConnection connection, string key, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM metadata WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>All rows whose key starts with <paramref name="prefix"/>, in key order.</summary>
    /// <param name="connection">A connection to system.redb.</param>
    /// <param name="prefix">The key prefix, for example <c>keyslot.</c>.</param>
    /// <param name="transaction">The transaction, if any.</param>
    /// <returns>(key, value) pairs.</returns>
    public static IReadOnlyList<(string Key, byte[] Value)> List(SqliteConnection connection, string prefix, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, value FROM metadata WHERE substr(key, 1, length($prefix)) = $prefix ORDER BY key";
        command.Parameters.AddWithValue("$prefix", prefix);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, byte[])>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }
}
