using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Keys;

/// <summary>
/// The keys of an open store: the master key (unwrapped from a key slot in <c>system.redb</c>), the key of every
/// epoch, and the index key that makes topic, name and consumer tags.
/// </summary>
/// <remarks>
/// <para>Epoch keys are random 32-byte keys, each sealed under the master key's store-records subkey in
/// <c>metadata</c> row <c>epoch.N</c>; <c>epoch.current</c> says which one seals new records. Rotation adds an
/// epoch and re-seals records under it; earlier epochs stay so that older backups of a shard still open
/// (docs/store.md, "Key epochs").</para>
/// <para>Tags are <c>BLAKE3.keyed_hash(indexKey, domain || name)</c>: 8 bytes read as a signed integer for
/// topics and consumers (a collision only costs a record that is filtered out after opening), 16 bytes for blob
/// names, 32 bytes for chunk ids. The index key comes from the master key, not an epoch, so tags and chunk ids
/// do not change on rotation.</para>
/// <para>Thread-safety: all members are safe from any number of threads. <see cref="AddEpoch"/> and
/// <see cref="Refresh"/> publish a new epoch table whole (copy on write), so a concurrent seal or open sees either
/// the old table or the new one.</para>
/// </remarks>
public sealed class StoreKeys : IDisposable
{
    private readonly MasterKey _master;
    private readonly byte[] _indexKey;
    private readonly object _epochGate = new();
    private volatile Dictionary<int, byte[]> _epochs;
    private volatile int _currentEpoch;
    private string? _systemPath;
    private bool _disposed;

    private StoreKeys(MasterKey master, Dictionary<int, byte[]> epochs, int currentEpoch)
    {
        _master = master;
        _epochs = epochs;
        _currentEpoch = currentEpoch;
        _indexKey = GC.AllocateUninitializedArray<byte>(MasterKey.Size, pinned: true);
        master.DeriveSubkey(KeyPurpose.StoreIndex, _indexKey);
    }

    /// <summary>The epoch new records are sealed under.</summary>
    public int CurrentEpoch => _currentEpoch;

    /// <summary>Every epoch this store has keys for, ascending.</summary>
    public IReadOnlyList<int> Epochs => [.. _epochs.Keys.Order()];

    /// <summary>The master key, for key slots and the subject vault.</summary>
    internal MasterKey Master => _master;

    /// <summary>Creates the first epoch of a new store and writes its sealed key into <c>metadata</c>.</summary>
    internal static StoreKeys CreateNew(MasterKey master, SqliteConnection system, SqliteTransaction transaction)
    {
        var keys = new StoreKeys(master, [], 0);
        keys.AddEpoch(system, transaction);
        return keys;
    }

    /// <summary>Reads every epoch key from <c>metadata</c>, opening each under the master key.</summary>
    internal static StoreKeys Load(MasterKey master, SqliteConnection system)
    {
        var (epochs, current) = ReadEpochs(master, system, null, []);
        return new StoreKeys(master, epochs, current) { _systemPath = system.DataSource };
    }

    /// <summary>
    /// Adds a new epoch, makes it current and writes it into <c>metadata</c> inside <paramref name="transaction"/>,
    /// which must hold system.redb's write lock. The number follows the largest epoch in <c>metadata</c>, so an
    /// epoch another process added since this one opened the store is never overwritten.
    /// </summary>
    /// <remarks>The new epoch is current in memory at once; if <paramref name="transaction"/> then rolls back,
    /// call <see cref="Refresh"/> to return to what system.redb says.</remarks>
    /// <returns>The new epoch's number.</returns>
    internal int AddEpoch(SqliteConnection system, SqliteTransaction transaction)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_epochGate)
        {
            var stored = MetadataTable.List(system, "epoch.", transaction)
                .Where(row => row.Key != "epoch.current")
                .Select(row => int.Parse(row.Key.AsSpan("epoch.".Length), NumberStyles.None, CultureInfo.InvariantCulture));
            var number = stored.Concat(_epochs.Keys).DefaultIfEmpty(0).Max() + 1;
            var epochKey = GC.AllocateUninitializedArray<byte>(MasterKey.Size, pinned: true);
            RandomNumberGenerator.Fill(epochKey);
            var rowKey = string.Create(CultureInfo.InvariantCulture, $"epoch.{number}");
            using (var sealer = _master.CreateSealer(KeyPurpose.StoreRecords, new EnvelopeOptions { Compress = false }))
            {
                MetadataTable.Set(system, rowKey, sealer.Seal(ObjectKind.StoreRecord, Encoding.ASCII.GetBytes(rowKey), epochKey), transaction);
            }

            MetadataTable.SetText(system, "epoch.current", number.ToString(CultureInfo.InvariantCulture), transaction);
            _epochs = new Dictionary<int, byte[]>(_epochs) { [number] = epochKey };
            _currentEpoch = number;
            return number;
        }
    }

    /// <summary>
    /// Loads epochs added to system.redb since this store was opened (by a rotation in another process) and takes
    /// up its <c>epoch.current</c>, so this process opens records sealed under them and seals new ones under the
    /// current epoch.
    /// </summary>
    /// <param name="system">A connection to system.redb.</param>
    /// <param name="transaction">The transaction, if any.</param>
    internal void Refresh(SqliteConnection system, SqliteTransaction? transaction = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_epochGate)
        {
            var (epochs, current) = ReadEpochs(_master, system, transaction, _epochs);
            _epochs = epochs;
            _currentEpoch = current;
        }
    }

    /// <summary>The key of <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The epoch number.</param>
    /// <returns>The 32-byte key.</returns>
    /// <remarks>An epoch this process does not know is looked up in system.redb once more before giving up: a key
    /// rotation in another process may have added it (and re-sealed records under it) since this store was opened.
    /// That lookup also makes the rotation's epoch current here, so this process stops sealing under the old one.</remarks>
    /// <exception cref="KeyEpochMissingException">This store has no key for that epoch.</exception>
    internal ReadOnlySpan<byte> EpochKey(int epoch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_epochs.TryGetValue(epoch, out var key))
        {
            return key;
        }

        if (_systemPath is not null && epoch > _epochs.Keys.Max())
        {
            using var system = StoreConnection.OpenReadWrite(_systemPath);
            Refresh(system);
            if (_epochs.TryGetValue(epoch, out key))
            {
                return key;
            }
        }

        throw new KeyEpochMissingException(epoch);
    }

    /// <summary>The 64-bit tag of a topic or consumer name, under a domain such as <c>"topic"</c>.</summary>
    /// <param name="domain">What kind of name it is, so a topic and a consumer of one name get different tags.</param>
    /// <param name="name">The name.</param>
    /// <returns>The tag, as a signed integer for SQLite.</returns>
    public long Tag64(string domain, string name)
    {
        Span<byte> tag = stackalloc byte[8];
        Tag(domain, name, tag);
        return BinaryPrimitives.ReadInt64BigEndian(tag);
    }

    /// <summary>The 128-bit tag of a name (blob names).</summary>
    /// <param name="domain">What kind of name it is.</param>
    /// <param name="name">The name.</param>
    /// <returns>16 bytes.</returns>
    public byte[] Tag128(string domain, string name)
    {
        var tag = new byte[16];
        Tag(domain, name, tag);
        return tag;
    }

    /// <summary>The keyed id of content (blob chunks), so identical chunks share one row and ids reveal nothing.</summary>
    /// <param name="content">The chunk's plaintext.</param>
    /// <returns>32 bytes.</returns>
    public byte[] ContentId(ReadOnlySpan<byte> content)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var id = new byte[32];
        Blake3.KeyedHash(_indexKey, content, id);
        return id;
    }

    /// <summary>
    /// The 32-byte gear-table secret of the blob chunker: <c>BLAKE3.derive_key("ForgeOne 2026-11-24 store blob
    /// chunker gear v1", indexKey)</c>. Keyed like the index key, so blob chunk boundaries do not fingerprint known
    /// files and stay the same across key rotation (chunks keep deduplicating).
    /// </summary>
    /// <remarks>Added for the blob store (Store/Blobs/BlobStore).</remarks>
    /// <returns>A new array the caller zeroes when done.</returns>
    internal byte[] BlobChunkerSecret()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var secret = new byte[32];
        Blake3.DeriveKey("ForgeOne 2026-11-24 store blob chunker gear v1", _indexKey, secret);
        return secret;
    }

    /// <summary>Zeroes every key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_indexKey);
        foreach (var key in _epochs.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _master.Dispose();
    }

    private static (Dictionary<int, byte[]> Epochs, int Current) ReadEpochs(MasterKey master, SqliteConnection system, SqliteTransaction? transaction, Dictionary<int, byte[]> known)
    {
        var epochs = new Dictionary<int, byte[]>(known);
        using var opener = master.CreateOpener(KeyPurpose.StoreRecords);
        foreach (var (key, value) in MetadataTable.List(system, "epoch.", transaction))
        {
            if (key == "epoch.current")
            {
                continue;
            }

            var number = int.Parse(key.AsSpan("epoch.".Length), NumberStyles.None, CultureInfo.InvariantCulture);
            if (epochs.ContainsKey(number))
            {
                continue;
            }

            var epochKey = GC.AllocateUninitializedArray<byte>(MasterKey.Size, pinned: true);
            var length = opener.Open(ObjectKind.StoreRecord, Encoding.ASCII.GetBytes(key), value, epochKey);
            if (length != MasterKey.Size)
            {
                throw new StoreFormatException("system.redb", $"metadata row {key} does not hold a 32-byte key.");
            }

            epochs[number] = epochKey;
        }

        var current = MetadataTable.GetInt(system, "epoch.current", transaction)
            ?? throw new StoreFormatException("system.redb", "metadata has no epoch.current row; the file is damaged. Restore system.redb from a backup.");
        if (!epochs.ContainsKey(current))
        {
            throw new StoreFormatException("system.redb", $"the current key epoch {current} has no key; the file is damaged. Restore system.redb from a backup.");
        }

        return (epochs, current);
    }

    private void Tag(string domain, string name, Span<byte> tag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var input = Encoding.UTF8.GetBytes(domain + "\0" + name);
        Blake3.KeyedHash(_indexKey, input, tag);
    }
}
