using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Records;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store;

/// <summary>
/// An open connection to one database of a store, with the cipher that seals and opens its records.
/// Not thread-safe: one per worker. Dispose closes the file.
/// </summary>
public sealed class StoreShard : IDisposable
{
    internal StoreShard(StoreDatabase database, SqliteConnection connection, StoreKeys keys)
    {
        Database = database;
        Connection = connection;
        Keys = keys;
        Cipher = new ShardCipher(connection, database.FileName, keys);
    }

    /// <summary>Which database this is.</summary>
    public StoreDatabase Database { get; }

    /// <summary>The SQLite connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Seals and opens this database's record values.</summary>
    public ShardCipher Cipher { get; private set; }

    /// <summary>The store's keys.</summary>
    public StoreKeys Keys { get; }

    /// <summary>
    /// Starts a write transaction that takes SQLite's write lock at once (<c>BEGIN IMMEDIATE</c>), so id
    /// allocation inside it never races another process.
    /// </summary>
    /// <returns>The transaction.</returns>
    public SqliteTransaction BeginWrite() => Connection.BeginTransaction(deferred: false);

    /// <summary>Replaces the cipher after a rolled-back write (its session row may have gone with the rollback).</summary>
    public void ResetCipher()
    {
        Cipher.Dispose();
        Cipher = new ShardCipher(Connection, Database.FileName, Keys);
    }

    /// <summary>Closes the connection and releases the cipher.</summary>
    public void Dispose()
    {
        Cipher.Dispose();
        Connection.Dispose();
    }
}
