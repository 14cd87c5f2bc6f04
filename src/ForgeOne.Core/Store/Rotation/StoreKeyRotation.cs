using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ForgeOne.Core.Audit;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Rotation;

/// <summary>
/// Rotates a store's record key (<c>Update-ForgeStoreKey</c>): <see cref="Start"/> adds a key epoch that seals
/// every new record from then on, and <see cref="Run"/> re-seals the existing records under it in resumable
/// batches while the store stays in use.
/// </summary>
/// <remarks>
/// <para><b>What is re-sealed.</b> Every table of every database that <see cref="StoreSchema.SealedTables"/>
/// lists, system.redb's included, walked in key order. Each row whose <c>epoch</c> is below the rotation's epoch is
/// opened and sealed again; sealing uses the database's newest zstd dictionary, so re-sealing also recompresses.
/// The epoch keys in system.redb's <c>metadata</c> are sealed under the master key, not under an epoch, and are
/// left alone.</para>
/// <para><b>Old epochs stay.</b> Rotation never deletes an epoch's key: a shard restored from a backup taken
/// before the rotation holds records sealed under the old epoch, and must still open. Rotation therefore protects
/// new data and re-seals old data under a fresh key, but does not make a leaked old epoch key useless against old
/// backups; the master key and key slots protect every epoch key alike.</para>
/// <para><b>Resuming.</b> Progress is kept in system.redb's <c>metadata</c> row <c>rotation</c>: the target epoch
/// and, per database and table, the key of the last row re-sealed. Each batch commits in its database, then its
/// cursor commits in system.redb (for system.redb's own tables, in the same transaction). A run that is cancelled,
/// fails or is killed leaves the row behind; the next <see cref="Start"/> (in any process) resumes from the
/// cursors instead of adding another epoch. A batch committed whose cursor was not is walked again, which re-seals
/// nothing, since its rows already carry the new epoch.</para>
/// <para><b>Other processes.</b> A process that opens the store after <see cref="Start"/> seals under the new
/// epoch. One that had it open before keeps sealing under the old epoch until it meets a record sealed under the
/// new one (it then loads the new epoch from system.redb and switches; see <see cref="Keys.StoreKeys"/>). Rows it
/// writes behind a cursor are caught by walking again: <see cref="Run"/> ends only when no row below the new epoch
/// remains, or after <see cref="MaxPasses"/> walks, returning <see cref="StoreKeyRotationResult.Completed"/> false
/// so the caller can run again (or restart the writers). Two rotations running at once only repeat each other's
/// work: every batch re-checks the epoch of its rows inside its write transaction.</para>
/// <para>A record that fails to open (<see cref="RecordIntegrityException"/>) stops the run at that record; restore
/// its database from a backup and run again.</para>
/// <para>Not thread-safe: one instance per rotation.</para>
/// </remarks>
public sealed class StoreKeyRotation
{
    /// <summary>Records re-sealed per transaction unless told otherwise: 1000.</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>How many times <see cref="Run"/> walks the store before it gives up on rows that keep arriving under the old epoch: 8.</summary>
    public const int MaxPasses = 8;

    // Values unlike the table's records are sealed without the record dictionary, as ShardCipher's writers do.
    private static readonly HashSet<string> TablesWithoutDictionary = new(StringComparer.Ordinal) { "dictionaries", "chunks" };

    private readonly ForgeStore _store;
    private readonly TimeProvider _clock;
    private bool _started;

    /// <summary>Prepares a rotation of <paramref name="store"/>; nothing changes until <see cref="Start"/> or <see cref="Run"/>.</summary>
    /// <param name="store">The open store.</param>
    /// <param name="clock">The clock for the start time; null for the system clock.</param>
    public StoreKeyRotation(ForgeStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The epoch records are re-sealed under; 0 before <see cref="Start"/>.</summary>
    public int Epoch { get; private set; }

    /// <summary>True when <see cref="Start"/> found an unfinished rotation and resumed it instead of adding an epoch.</summary>
    public bool Resumed { get; private set; }

    /// <summary>True when system.redb records a rotation that has not finished.</summary>
    /// <param name="store">The open store.</param>
    /// <returns>Whether a rotation is pending.</returns>
    public static bool IsPending(ForgeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var system = store.OpenShard(StoreDatabase.System);
        return MetadataTable.Get(system.Connection, RotationState.MetadataKey) is not null;
    }

    /// <summary>
    /// Starts a rotation: adds a key epoch, makes it current for new records and records the rotation in
    /// system.redb, all in one transaction. When system.redb already records an unfinished rotation, resumes that
    /// one instead (<see cref="Resumed"/>) and adds no epoch.
    /// </summary>
    /// <returns>The epoch records will be re-sealed under.</returns>
    /// <exception cref="StoreFormatException">system.redb's rotation record is malformed.</exception>
    public int Start()
    {
        using var system = _store.OpenShard(StoreDatabase.System);
        var connection = system.Connection;
        using var transaction = system.BeginWrite();
        try
        {
            _store.Keys.Refresh(connection, transaction);
            if (MetadataTable.Get(connection, RotationState.MetadataKey, transaction) is { } json)
            {
                Epoch = RotationState.Parse(json).Epoch;
                Resumed = true;
            }
            else
            {
                Epoch = _store.Keys.AddEpoch(connection, transaction);
                var state = new RotationState(Epoch, _clock.GetUtcNow());
                MetadataTable.Set(connection, RotationState.MetadataKey, state.ToJson(), transaction);
                Resumed = false;
            }

            transaction.Commit();
        }
        catch
        {
            transaction.Rollback();

            // AddEpoch made the new epoch current in memory; go back to what system.redb says.
            _store.Keys.Refresh(connection);
            throw;
        }

        _started = true;
        return Epoch;
    }

    /// <summary>
    /// Re-seals every record sealed under an older epoch, in batches of <paramref name="batchSize"/> per
    /// transaction, and clears the rotation record when none is left. Calls <see cref="Start"/> first if it was
    /// not called.
    /// </summary>
    /// <param name="batchSize">Records per transaction, 1 to 100,000. Smaller batches hold the write lock of a database for less time.</param>
    /// <param name="progress">Told after each committed batch; null for none. It is called on the calling thread.</param>
    /// <param name="cancellationToken">Stops between batches; what was committed stays, and the next run resumes after it.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; run again to resume.</exception>
    /// <exception cref="RecordIntegrityException">A record failed to open; restore its database and run again.</exception>
    /// <exception cref="StoreFormatException">A database file is missing or not this store's.</exception>
    public StoreKeyRotationResult Run(int batchSize = DefaultBatchSize, IProgress<StoreKeyRotationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 100_000);
        if (!_started)
        {
            Start();
        }

        var stopwatch = Stopwatch.StartNew();
        var databases = _store.Layout.Databases;
        using var system = _store.OpenShard(StoreDatabase.System);
        _store.Keys.Refresh(system.Connection);
        if (MetadataTable.Get(system.Connection, RotationState.MetadataKey) is not { } json)
        {
            // Another run finished it meanwhile.
            return new StoreKeyRotationResult(Epoch, 0, databases.Count, Resumed, Completed: true, 0, stopwatch.Elapsed);
        }

        var state = RotationState.Parse(json);
        if (state.Epoch != Epoch || _store.Keys.CurrentEpoch != Epoch)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The store's rotation changed under this one (it now targets epoch {state.Epoch}, current epoch {_store.Keys.CurrentEpoch}, not {Epoch}). Start a new StoreKeyRotation."));
        }

        long resealed = 0;
        for (var pass = 1; ; pass++)
        {
            foreach (var database in databases)
            {
                var shard = database.Kind == StoreDatabaseKind.System ? system : _store.OpenShard(database);
                try
                {
                    foreach (var (table, keyColumns) in StoreSchema.SealedTables(database.Kind))
                    {
                        var cursor = state.Of(database, table);
                        var columns = keyColumns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                        while (!cursor.Done)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var count = ResealBatch(shard, system, state, cursor, table, columns, batchSize);
                            if (count > 0)
                            {
                                resealed += count;
                                progress?.Report(new StoreKeyRotationProgress(Epoch, database.FileName, table, count, resealed, pass));
                            }
                        }
                    }
                }
                finally
                {
                    if (!ReferenceEquals(shard, system))
                    {
                        shard.Dispose();
                    }
                }
            }

            var remaining = CountRemaining(system, state);
            if (remaining == 0)
            {
                MetadataTable.Delete(system.Connection, RotationState.MetadataKey);
                _store.TryAudit(new AuditEvent
                {
                    Operation = AuditOperations.KeyRotate,
                    Target = "store " + _store.Id,
                    Parameters = new Dictionary<string, string> { ["epoch"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), ["resealed"] = resealed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["resumed"] = Resumed ? "true" : "false" },
                });
                return new StoreKeyRotationResult(Epoch, resealed, databases.Count, Resumed, Completed: true, 0, stopwatch.Elapsed);
            }

            MetadataTable.Set(system.Connection, RotationState.MetadataKey, state.ToJson());
            if (pass >= MaxPasses)
            {
                return new StoreKeyRotationResult(Epoch, resealed, databases.Count, Resumed, Completed: false, remaining, stopwatch.Elapsed);
            }
        }
    }

    /// <summary>Re-seals up to <paramref name="batchSize"/> rows after the cursor and moves it; marks the table done at its end.</summary>
    private int ResealBatch(StoreShard shard, StoreShard system, RotationState state, RotationState.TableCursor cursor, string table, string[] columns, int batchSize)
    {
        var orderBy = string.Join(", ", columns);
        var rows = new List<(object[] Key, byte[] Value)>();
        var transaction = shard.BeginWrite();
        try
        {
            using (var select = shard.Connection.CreateCommand())
            {
                select.Transaction = transaction;
                var after = "";
                if (cursor.Key is { } last)
                {
                    after = $" AND ({orderBy}) > ({string.Join(", ", columns.Select((_, index) => "$c" + index.ToString(CultureInfo.InvariantCulture)))})";
                    for (var index = 0; index < last.Length; index++)
                    {
                        select.Parameters.AddWithValue("$c" + index.ToString(CultureInfo.InvariantCulture), last[index]);
                    }
                }

                select.CommandText = $"SELECT {orderBy}, value FROM {table} WHERE epoch < $epoch{after} ORDER BY {orderBy} LIMIT $limit";
                select.Parameters.AddWithValue("$epoch", Epoch);
                select.Parameters.AddWithValue("$limit", batchSize);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var key = new object[columns.Length];
                    for (var index = 0; index < columns.Length; index++)
                    {
                        key[index] = reader.GetValue(index);
                    }

                    rows.Add((key, (byte[])reader.GetValue(columns.Length)));
                }
            }

            if (shard.Cipher.Epoch != Epoch)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{shard.Database.FileName} would seal under epoch {shard.Cipher.Epoch}, not the rotation's epoch {Epoch}. Start a new StoreKeyRotation."));
            }

            using (var update = shard.Connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = $"UPDATE {table} SET epoch = $epoch, value = $value WHERE {string.Join(" AND ", columns.Select((column, index) => $"{column} = $k{index.ToString(CultureInfo.InvariantCulture)}"))}";
                update.Parameters.AddWithValue("$epoch", Epoch);
                var value = update.Parameters.Add("$value", SqliteType.Blob);
                var keys = columns.Select((_, index) => update.Parameters.Add("$k" + index.ToString(CultureInfo.InvariantCulture), SqliteType.Integer)).ToArray();
                var useDictionary = !TablesWithoutDictionary.Contains(table);
                foreach (var (key, sealedValue) in rows)
                {
                    var keyBytes = Records.RecordKey.FromValues(key);
                    var plaintext = shard.Cipher.Open(table, keyBytes, sealedValue, Describe(key));
                    value.Value = shard.Cipher.Seal(table, keyBytes, plaintext, transaction, useDictionary);
                    for (var index = 0; index < key.Length; index++)
                    {
                        keys[index].SqliteType = key[index] switch
                        {
                            long => SqliteType.Integer,
                            string => SqliteType.Text,
                            _ => SqliteType.Blob,
                        };
                        keys[index].Value = key[index];
                    }

                    update.ExecuteNonQuery();
                }
            }

            if (rows.Count > 0)
            {
                cursor.Key = rows[^1].Key;
            }

            cursor.Done = rows.Count < batchSize;
            if (ReferenceEquals(shard, system))
            {
                MetadataTable.Set(system.Connection, RotationState.MetadataKey, state.ToJson(), transaction);
                transaction.Commit();
            }
            else
            {
                transaction.Commit();
                MetadataTable.Set(system.Connection, RotationState.MetadataKey, state.ToJson());
            }
        }
        catch
        {
            transaction.Rollback();
            shard.ResetCipher();
            throw;
        }
        finally
        {
            transaction.Dispose();
        }

        return rows.Count;
    }

    /// <summary>Counts rows still below the epoch and sends their tables round again.</summary>
    private long CountRemaining(StoreShard system, RotationState state)
    {
        long remaining = 0;
        foreach (var database in _store.Layout.Databases)
        {
            var shard = database.Kind == StoreDatabaseKind.System ? system : _store.OpenShard(database);
            try
            {
                foreach (var (table, _) in StoreSchema.SealedTables(database.Kind))
                {
                    using var command = shard.Connection.CreateCommand();
                    command.CommandText = $"SELECT count(*) FROM {table} WHERE epoch < $epoch";
                    command.Parameters.AddWithValue("$epoch", Epoch);
                    var count = (long)command.ExecuteScalar()!;
                    if (count > 0)
                    {
                        var cursor = state.Of(database, table);
                        cursor.Key = null;
                        cursor.Done = false;
                        remaining += count;
                    }
                }
            }
            finally
            {
                if (!ReferenceEquals(shard, system))
                {
                    shard.Dispose();
                }
            }
        }

        return remaining;
    }

    private static string Describe(object[] key) => string.Join("/", key.Select(part => part switch
    {
        byte[] bytes => Crypto.ObjectNames.ToHex(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => part.ToString(),
    }));
}
