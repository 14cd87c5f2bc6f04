using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Writes time-series records (log entries, events) in batches: each record is checked, routed to a shard by a
/// stable hash, given a time-ordered id, serialized, compressed, sealed and inserted with its index row.
/// Shards are written in parallel, one transaction per shard per batch.
/// </summary>
/// <remarks>
/// <para><see cref="Add"/> buffers; every <see cref="BatchSize"/> records (and on <see cref="Flush"/>) the buffered
/// records are written. A batch of a shard commits whole or not at all; the exception says how many records the
/// writer had committed before it.</para>
/// <para>Once a shard holds <see cref="DictionaryThreshold"/> records and has no dictionary, the writer trains
/// one from the shard's own records, so later small records compress far better.</para>
/// <para>Not thread-safe: one writer per producer. Dispose closes the shard connections (without flushing).</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public sealed class TimeSeriesWriter<T> : IDisposable
    where T : class
{
    /// <summary>Records a shard must hold before a dictionary is trained: 1000.</summary>
    public const int DictionaryThreshold = 1000;

    private const int MaxSamples = 4000;

    private readonly ForgeStore _store;
    private readonly TimeSeriesCodec<T> _codec;
    private readonly ShardState[] _shards;
    private readonly TimeProvider _clock;
    private int _buffered;
    private bool _disposed;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The record kind.</param>
    /// <param name="batchSize">Records buffered before a write, 1 to 100,000.</param>
    /// <param name="clock">The clock for ids and default timestamps; null for the system clock.</param>
    public TimeSeriesWriter(ForgeStore store, TimeSeriesCodec<T> codec, int batchSize = 4096, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 100_000);
        _store = store;
        _codec = codec;
        _clock = clock ?? TimeProvider.System;
        BatchSize = batchSize;
        _shards = [.. store.Layout.Shards(codec.Kind).Select(database => new ShardState(database, _clock))];
    }

    /// <summary>Records buffered before they are written.</summary>
    public int BatchSize { get; }

    /// <summary>Records committed so far.</summary>
    public long Written { get; private set; }

    /// <summary>Checks a record and buffers it, writing the buffer when it is full.</summary>
    /// <param name="record">The record.</param>
    /// <returns>Records committed by this call (empty unless the buffer was written).</returns>
    /// <exception cref="StoreValidationException">The record breaks an input rule; nothing of it is buffered.</exception>
    public IReadOnlyList<T> Add(T record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(record);
        var normalized = _codec.Validate(record, _clock.GetUtcNow());
        var shard = (int)(_codec.RouteHash(normalized) % (ulong)_shards.Length);
        _shards[shard].Pending.Add(normalized);
        return ++_buffered >= BatchSize ? Flush() : [];
    }

    /// <summary>Writes every buffered record, shards in parallel.</summary>
    /// <returns>The records written, with their ids, in shard order.</returns>
    /// <exception cref="SqliteException">A shard could not be written; its batch was rolled back.</exception>
    public IReadOnlyList<T> Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffered == 0)
        {
            return [];
        }

        var busy = _shards.Where(shard => shard.Pending.Count > 0).ToArray();
        var results = new List<T>[busy.Length];
        Parallel.For(0, busy.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index =>
            results[index] = WriteShard(busy[index]));
        _buffered = 0;
        var written = results.SelectMany(batch => batch).ToList();
        Written += written.Count;
        return written;
    }

    /// <summary>Closes the shard connections. Buffered records not flushed are dropped.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var shard in _shards)
        {
            shard.Connection?.Dispose();
        }
    }

    private List<T> WriteShard(ShardState state)
    {
        var shard = state.Connection ??= Open(state);
        var written = new List<T>(state.Pending.Count);
        var writer = state.Writer;
        var transaction = shard.BeginWrite();
        try
        {
            using var maxId = shard.Connection.CreateCommand();
            maxId.Transaction = transaction;
            maxId.CommandText = $"SELECT coalesce(max(id), 0) FROM {_codec.ValueTable}";
            state.Ids.Seed((long)maxId.ExecuteScalar()!);

            // Rows go in through SQLite's own prepared statements, bound by position: an ADO.NET command per row
            // (parameters bound by name, the statement list walked, the blob copied into a new array) cost about
            // as much as the insert itself.
            var database = shard.Connection.Handle!;
            using var insertValue = Prepare(database, $"INSERT INTO {_codec.ValueTable} (id, epoch, value) VALUES (?1, ?2, ?3)");
            using var insertIndex = Prepare(database, $"INSERT INTO {_codec.IndexTable} (topic, timestamp, id) VALUES (?1, ?2, ?3)");
            var sealedValue = state.SealBuffer;
            var vault = _store.Subjects;
            foreach (var record in state.Pending)
            {
                var id = state.Ids.Next();
                var key = RecordFormat.Key(id);
                writer.Reset();
                _codec.Serialize(record, key, writer, vault);
                var plaintext = writer.WrittenSpan;
                if (!shard.Cipher.HasDictionary && state.Samples.Count < MaxSamples)
                {
                    state.Samples.Add(plaintext.ToArray());
                }

                var bound = ShardCipher.SealedLengthBound(plaintext.Length);
                if (sealedValue.Length < bound)
                {
                    sealedValue = state.SealBuffer = new byte[Math.Max(bound, sealedValue.Length * 2)];
                }

                var length = shard.Cipher.Seal(_codec.ValueTable, key, plaintext, transaction, sealedValue);
                raw.sqlite3_bind_int64(insertValue, 1, id);
                raw.sqlite3_bind_int(insertValue, 2, shard.Cipher.Epoch);
                raw.sqlite3_bind_blob(insertValue, 3, sealedValue.AsSpan(0, length));
                Step(database, insertValue);

                raw.sqlite3_bind_int64(insertIndex, 1, state.TopicTag(shard, _codec.TopicOf(record)));
                raw.sqlite3_bind_int64(insertIndex, 2, IndexPosition.Micros(_codec.TimestampOf(record)));
                raw.sqlite3_bind_int64(insertIndex, 3, id);
                Step(database, insertIndex);
                written.Add(_codec.WithId(record, id, shard.Database.Shard));
            }

            _codec.OnBatchWritten(shard, transaction, written);
            transaction.Commit();
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

        state.Count += written.Count;
        state.Pending.Clear();
        TrainDictionaryIfDue(state, shard);
        return written;
    }

    private static sqlite3_stmt Prepare(sqlite3 database, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(database, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return statement;
    }

    private static void Step(sqlite3 database, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }

    private StoreShard Open(ShardState state)
    {
        var shard = _store.OpenShard(state.Database);
        if (!shard.Cipher.HasDictionary)
        {
            state.Count = (long)shard.Connection.Scalar($"SELECT count(*) FROM {_codec.ValueTable}")!;
        }

        return shard;
    }

    private void TrainDictionaryIfDue(ShardState state, StoreShard shard)
    {
        if (shard.Cipher.HasDictionary || state.Count < DictionaryThreshold)
        {
            return;
        }

        var samples = state.Samples.Count >= DictionaryThreshold ? state.Samples : ReadSamples(shard);
        using var transaction = shard.BeginWrite();
        if (shard.Cipher.TrainDictionary(samples, transaction))
        {
            transaction.Commit();
            state.Samples.Clear();
        }
        else
        {
            transaction.Rollback();
            shard.ResetCipher();

            // Too little in common to train on: try again after as many records again.
            state.Count = 0;
        }
    }

    private List<byte[]> ReadSamples(StoreShard shard)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT id, value FROM {_codec.ValueTable} ORDER BY id DESC LIMIT {MaxSamples}";
        using var reader = command.ExecuteReader();
        var samples = new List<byte[]>();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            samples.Add(shard.Cipher.Open(_codec.ValueTable, RecordFormat.Key(id), (byte[])reader.GetValue(1)));
        }

        return samples;
    }

    private sealed class ShardState(StoreDatabase database, TimeProvider clock)
    {
        public StoreDatabase Database { get; } = database;

        public RecordIds Ids { get; } = new(database.Shard, clock);

        public RecordWriter Writer { get; } = new();

        public List<T> Pending { get; } = [];

        public List<byte[]> Samples { get; } = [];

        public byte[] SealBuffer { get; set; } = new byte[1024];

        public StoreShard? Connection { get; set; }

        public long Count { get; set; }

        // Tags are keyed hashes under the store's fixed index key, so one per topic is enough.
        public long TopicTag(StoreShard shard, string topic)
        {
            if (!_topicTags.TryGetValue(topic, out var tag))
            {
                tag = shard.Keys.Tag64("topic", topic);
                _topicTags[topic] = tag;
            }

            return tag;
        }

        private readonly Dictionary<string, long> _topicTags = new(StringComparer.Ordinal);
    }
}
