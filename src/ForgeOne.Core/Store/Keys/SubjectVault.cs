using System.Collections.Concurrent;
using System.Security.Cryptography;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Keys;

/// <summary>
/// The per-data-subject keys of a store, kept in <c>subjects.redb</c>. Fields sealed under a subject's key become
/// unreadable everywhere, backups included, once <see cref="Remove"/> deletes it (crypto-shredding, GDPR Art. 17).
/// </summary>
/// <remarks>
/// <para>The vault is deliberately not part of store backups: a backup restored after an erasure must not bring
/// the erased key back. Its rows are keyed by a 128-bit keyed tag of the subject id, and each key is sealed under
/// the master key's subject-vault subkey, so the file names no one. Erasures are kept in <c>erased</c> (tag and
/// time only) so that audits can show when a subject was forgotten.</para>
/// <para>Thread-safety: all members may be called from several threads; each call opens its own connection.</para>
/// </remarks>
public sealed class SubjectVault
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS subjects (tag BLOB PRIMARY KEY, value BLOB NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS erased (tag BLOB PRIMARY KEY, erased INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private readonly string _path;
    private readonly StoreKeys _keys;
    private readonly ConcurrentDictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);
    private readonly object _createGate = new();
    private readonly Action<AuditEvent>? _audit;

    internal SubjectVault(string path, StoreKeys keys, Action<AuditEvent>? audit = null)
    {
        _audit = audit;
        _path = path;
        _keys = keys;
    }

    /// <summary>The 128-bit tag that names a subject in records and in the vault.</summary>
    /// <param name="subject">The data subject's id.</param>
    /// <returns>16 bytes.</returns>
    public byte[] Tag(string subject) => _keys.Tag128("subject", subject);

    /// <summary>The subject's key, created on first use.</summary>
    /// <param name="subject">The data subject's id.</param>
    /// <returns>The 32-byte key.</returns>
    public byte[] GetOrCreateKey(string subject)
    {
        var tag = Tag(subject);
        var cacheKey = Convert.ToHexString(tag);
        if (_cache.TryGetValue(cacheKey, out var cached) && cached is not null)
        {
            return cached;
        }

        lock (_createGate)
        {
            using var connection = OpenVault();
            var existing = ReadKey(connection, tag);
            if (existing is null)
            {
                existing = RandomNumberGenerator.GetBytes(32);
                using var sealer = _keys.Master.CreateSealer(KeyPurpose.SubjectVault, new EnvelopeOptions { Compress = false });
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO subjects (tag, value, created) VALUES ($tag, $value, $created)";
                command.Parameters.AddWithValue("$tag", tag);
                command.Parameters.AddWithValue("$value", sealer.Seal(ObjectKind.StoreRecord, tag, existing));
                command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                command.ExecuteNonQuery();
            }

            _cache[cacheKey] = existing;
            return existing;
        }
    }

    /// <summary>The key for a subject tag found in a record, or null when that subject was erased.</summary>
    /// <param name="tag">The 16-byte tag.</param>
    /// <returns>The key, or null.</returns>
    public byte[]? TryGetKey(byte[] tag)
    {
        var cacheKey = Convert.ToHexString(tag);
        if (_cache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        using var connection = OpenVault();
        var key = ReadKey(connection, tag);
        _cache[cacheKey] = key;
        return key;
    }

    /// <summary>
    /// Deletes a subject's key for good, so every field sealed under it, in the store and in its backups, can no
    /// longer be read. Records the erasure (tag and time) in the vault.
    /// </summary>
    /// <param name="subject">The data subject's id.</param>
    /// <returns>True when the subject had a key.</returns>
    public bool Remove(string subject)
    {
        var tag = Tag(subject);
        lock (_createGate)
        {
            using var connection = OpenVault();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM subjects WHERE tag = $tag";
            command.Parameters.AddWithValue("$tag", tag);
            var removed = command.ExecuteNonQuery() > 0;
            command.CommandText = "INSERT INTO erased (tag, erased) VALUES ($tag, $erased) ON CONFLICT (tag) DO UPDATE SET erased = excluded.erased";
            command.Parameters.AddWithValue("$erased", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            command.ExecuteNonQuery();
            transaction.Commit();

            // Overwrite the freed pages too, so the key does not linger in the file's free list.
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            connection.Execute("VACUUM");
            _cache[Convert.ToHexString(tag)] = null;

            // The record names the subject's tag only: keeping the id itself in the log would undo the erasure.
            _audit?.Invoke(new AuditEvent
            {
                Operation = AuditOperations.SubjectErase,
                Target = "subject " + Crypto.ObjectNames.ToHex(tag),
                Parameters = new Dictionary<string, string> { ["keyRemoved"] = removed ? "true" : "false" },
            });
            return removed;
        }
    }

    /// <summary>True when the subject has a key now.</summary>
    /// <param name="subject">The data subject's id.</param>
    /// <returns>Whether a key exists.</returns>
    public bool Contains(string subject) => TryGetKey(Tag(subject)) is not null;

    private byte[]? ReadKey(SqliteConnection connection, byte[] tag)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM subjects WHERE tag = $tag";
        command.Parameters.AddWithValue("$tag", tag);
        if (command.ExecuteScalar() is not byte[] sealedKey)
        {
            return null;
        }

        using var opener = _keys.Master.CreateOpener(KeyPurpose.SubjectVault);
        return opener.Open(ObjectKind.StoreRecord, tag, sealedKey, 32);
    }

    private SqliteConnection OpenVault()
    {
        var connection = StoreConnection.OpenOrCreate(_path);
        connection.Execute("PRAGMA secure_delete = ON");
        connection.Execute(Schema);
        return connection;
    }
}
