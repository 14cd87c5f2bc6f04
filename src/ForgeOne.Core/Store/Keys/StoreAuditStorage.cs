using System.Runtime.CompilerServices;
using System.Text;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Keys;

/// <summary>
/// Keeps a store's audit log in <c>system.redb</c>: table <c>audit</c> (slot → record JSON, sealed like every other
/// record, bound to its slot), and the public key in <c>metadata</c> row <c>audit.key</c> (hex, in clear, so the
/// log can be checked without the store's credentials). Slots are claimed with an insert that fails when the slot is
/// taken, so two writers never fork the chain.
/// </summary>
public sealed class StoreAuditStorage : IAuditStorage
{
    private const string Table = "audit";
    private const string KeyRow = "audit.key";
    private const int SqliteConstraintPrimaryKey = 19;

    private readonly ForgeStore _store;

    /// <summary>Wraps an open store.</summary>
    /// <param name="store">The store.</param>
    public StoreAuditStorage(ForgeStore store) => _store = store;

    /// <inheritdoc/>
    public string Location => _store.Path;

    /// <inheritdoc/>
    public Task<long> GetLastSlotAsync(CancellationToken cancellationToken = default)
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        return Task.FromResult((long)system.Connection.Scalar("SELECT coalesce(max(slot), 0) FROM audit")!);
    }

    /// <inheritdoc/>
    public Task<StoredAuditRecord?> ReadAsync(long slot, CancellationToken cancellationToken = default)
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        using var command = system.Connection.CreateCommand();
        command.CommandText = "SELECT value FROM audit WHERE slot = $slot";
        command.Parameters.AddWithValue("$slot", slot);
        return Task.FromResult(command.ExecuteScalar() is byte[] value ? Open(system, slot, value) : null);
    }

    /// <inheritdoc/>
    public Task<bool> TryCreateAsync(long slot, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        using var transaction = system.BeginWrite();
        try
        {
            using var command = system.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO audit (slot, epoch, value) VALUES ($slot, $epoch, $value)";
            command.Parameters.AddWithValue("$slot", slot);
            command.Parameters.AddWithValue("$epoch", system.Cipher.Epoch);
            command.Parameters.AddWithValue("$value", system.Cipher.Seal(Table, RecordFormat.Key(slot), json.Span, transaction, useDictionary: false));
            command.ExecuteNonQuery();
            transaction.Commit();
            return Task.FromResult(true);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraintPrimaryKey)
        {
            transaction.Rollback();
            return Task.FromResult(false);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredAuditRecord> ReadAllAsync(long fromSlot = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSlot, 1);
        using var system = _store.OpenShard(StoreDatabase.System);
        using var command = system.Connection.CreateCommand();
        command.CommandText = "SELECT slot, value FROM audit WHERE slot >= $from ORDER BY slot";
        command.Parameters.AddWithValue("$from", fromSlot);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Open(system, reader.GetInt64(0), (byte[])reader.GetValue(1));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<AuditPublicKey?> ReadPublicKeyAsync(CancellationToken cancellationToken = default)
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        var hex = MetadataTable.GetText(system.Connection, KeyRow);
        return Task.FromResult(hex is not null && AuditPublicKey.TryParse(hex, out var key) ? key : null);
    }

    /// <inheritdoc/>
    public Task<bool> TryPublishPublicKeyAsync(AuditPublicKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var system = _store.OpenShard(StoreDatabase.System);
        using var command = system.Connection.CreateCommand();
        command.CommandText = "INSERT INTO metadata (key, value) VALUES ($key, $value) ON CONFLICT (key) DO NOTHING";
        command.Parameters.AddWithValue("$key", KeyRow);
        command.Parameters.AddWithValue("$value", Encoding.UTF8.GetBytes(key.Hex));
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    private static StoredAuditRecord Open(StoreShard system, long slot, byte[] value)
    {
        try
        {
            return new StoredAuditRecord(slot, system.Cipher.Open(Table, RecordFormat.Key(slot), value), null);
        }
        catch (ForgeException ex)
        {
            return new StoredAuditRecord(slot, null, ex);
        }
    }
}
