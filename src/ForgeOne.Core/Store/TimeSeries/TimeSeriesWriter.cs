using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using ForgeOne.Core.Threading;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Writes time-series records (log entries, events) in batches: each record is checked, routed to a shard by a
/// stable hash, given a time-ordered id and serialized; a shard's batch is sorted by topic and time and cut into
/// blocks of one topic (<see cref="RecordBlock"/>), each compressed, sealed and inserted as one value row, with one
/// index row per record. Shards are written in parallel, one transaction per shard per batch.
/// </summary>
/// <remarks>
/// <para>Ids are allocated in (topic, timestamp) order within a shard's batch, so reading after a checkpoint (id
/// order) returns a batch grouped by topic; across batches, id order is still commit order.</para>
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
    /// <param name="returnWritten">Whether <see cref="Add"/> and <see cref="Flush"/> return the records they wrote; a writer
    /// whose caller only needs them stored passes false and is spared building them (<see cref="Written"/> still counts).</param>
    public TimeSeriesWriter(ForgeStore store, TimeSeriesCodec<T> codec, int batchSize = 4096, TimeProvider? clock = null, bool returnWritten = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 100_000);
        _store = store;
        _codec = codec;
        _clock = clock ?? TimeProvider.System;
        BatchSize = batchSize;
        ReturnsWritten = returnWritten;
        _shards = [.. store.Layout.Shards(codec.Kind).Select(database => new ShardState(database, _clock))];
    }

    /// <summary>Records buffered before they are written.</summary>
    public int BatchSize { get; }

    /// <summary>Whether <see cref="Add"/> and <see cref="Flush"/> return the records they wrote.</summary>
    public bool ReturnsWritten { get; }

    /// <summary>Records committed so far.</summary>
    public long Written { get; private set; }

    /// <summary>Checks a record and buffers it, writing the buffer when it is full.</summary>
    /// <param name="record">The record.</param>
    /// <returns>Records committed by this call (empty unless the buffer was written, or when the writer returns nothing).</returns>
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

    /// <summary>Adds every record, then writes what is left in the buffer.</summary>
    /// <param name="records">The records.</param>
    /// <returns>All of them as stored, with their ids.</returns>
    /// <exception cref="StoreValidationException">A record breaks an input rule; earlier full batches are already written.</exception>
    public IReadOnlyList<T> AddAllAndFlush(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var written = new List<T>();
        foreach (var record in records)
        {
            written.AddRange(Add(record));
        }

        written.AddRange(Flush());
        return written;
    }

    /// <summary>Writes every buffered record, shards in parallel.</summary>
    /// <returns>The records written, with their ids, in shard order; empty when the writer returns nothing.</returns>
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
        ParallelWork.For(busy.Length, index =>
            results[index] = WriteShard(busy[index]));
        _buffered = 0;
        Written += results.Sum(batch => batch.Count);
        return ReturnsWritten ? [.. results.SelectMany(batch => batch).Select(_codec.Returned)] : [];
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
        var transaction = shard.BeginWrite();
        try
        {
            var database = shard.Connection.Handle!;
            state.Ids.Seed(LargestId(state, shard));

            // Rows go in through SQLite's own prepared statements, bound by position: an ADO.NET command per row
            // (parameters bound by name, the statement list walked, the blob copied into a new array) cost about
            // as much as the insert itself.
            using var insertValue = RawSqlite.Prepare(database, $"INSERT INTO {_codec.ValueTable} (id, epoch, value) VALUES (?1, ?2, ?3)");
            using var insertIndex = RawSqlite.Prepare(database,
                $"INSERT INTO {_codec.IndexTable} (topic, timestamp, id, last_timestamp, last_id, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            var vault = _store.Subjects;
            var record = state.Writer;
            var block = new BlockBuilder(state, shard, transaction, new BlockStatements(database, insertValue, insertIndex), _codec);

            // Sorted by topic and time, then numbered in that order: each block is a run of one topic in (timestamp,
            // id) order, and a topic's records of one batch sit in as few blocks as their size and span allow.
            foreach (var item in state.Pending.OrderBy(_codec.TopicOf, StringComparer.Ordinal).ThenBy(_codec.TimestampOf))
            {
                var topic = _codec.TopicOf(item);
                var id = state.Ids.Next();
                record.Reset();
                _codec.Serialize(item, RecordFormat.Key(id), record, vault);
                var plaintext = record.WrittenSpan;
                if (!shard.Cipher.HasDictionary && state.Samples.Count < MaxSamples)
                {
                    state.Samples.Add(plaintext.ToArray());
                }

                block.Add(topic, IndexPosition.Micros(_codec.TimestampOf(item)), id, plaintext);
                written.Add(_codec.WithId(item, id, shard.Database.Shard));
            }

            block.Flush();
            _codec.OnBatchWritten(shard, transaction, written);
            transaction.Commit();
            state.LastBlock = block.LastSealed;
        }
        catch
        {
            transaction.Rollback();
            shard.ResetCipher();
            state.LastBlock = null;
            state.Spans.Clear();
            state.BlockBody.Reset();
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

    // The largest record id of the table: the last id of its last block. This writer remembers the block it sealed
    // last; only when another process (or retention) changed the table since then is that block opened.
    private long LargestId(ShardState state, StoreShard shard)
    {
        using var lastKey = shard.Connection.CreateCommand();
        lastKey.CommandText = $"SELECT max(id) FROM {_codec.ValueTable}";
        if (lastKey.ExecuteScalar() is not long key)
        {
            return 0;
        }

        if (state.LastBlock is { } last && last.Key == key)
        {
            return last.LastId;
        }

        using var reader = new BlockReader(shard, _codec.ValueTable);
        return reader.Find(long.MaxValue)?.LastId ?? key;
    }

    private StoreShard Open(ShardState state)
    {
        var shard = _store.OpenShard(state.Database);
        if (!shard.Cipher.HasDictionary)
        {
            state.Count = (long)shard.Connection.Scalar(_codec.RecordCountQuery)!;
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

    // Samples are single records, taken from the newest blocks: a dictionary trained on them still helps a block,
    // whose records are what zstd matches against it.
    private List<byte[]> ReadSamples(StoreShard shard)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT id, value FROM {_codec.ValueTable} ORDER BY id DESC";
        using var reader = command.ExecuteReader();
        var samples = new List<byte[]>();
        while (samples.Count < MaxSamples && reader.Read())
        {
            var block = RecordBlock.Open(shard, _codec.ValueTable, reader.GetInt64(0), (byte[])reader.GetValue(1));
            for (var index = 0; index < block.Count && samples.Count < MaxSamples; index++)
            {
                samples.Add(block.RecordAt(index).ToArray());
            }
        }

        return samples;
    }

    // Cuts a shard's sorted batch into blocks of one topic, and seals and inserts each one with its index row.
    private sealed class BlockBuilder(ShardState state, StoreShard shard, SqliteTransaction transaction, BlockStatements statements, TimeSeriesCodec<T> codec)
    {
        private string? _topic;
        private long _firstId;
        private long _previousId;
        private long _firstMicros;
        private long _lastMicros;
        private int _count;

        public (long Key, long LastId)? LastSealed { get; private set; }

        public void Add(string topic, long micros, long id, ReadOnlySpan<byte> record)
        {
            var body = state.BlockBody;
            if (_count > 0 && (_count == RecordBlock.MaxRecords || !string.Equals(topic, _topic, StringComparison.Ordinal)
                || body.Length + record.Length > RecordBlock.MaxPlaintextBytes || micros - _firstMicros > RecordBlock.MaxSpanMicros))
            {
                Flush();
            }

            if (_count == 0)
            {
                _topic = topic;
                _firstId = id;
                _previousId = id;
                _firstMicros = micros;
            }

            RecordBlock.WriteEntry(body, id - _previousId, record);
            _previousId = id;
            _lastMicros = micros;
            _count++;
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }

            var plaintext = state.BlockWriter;
            plaintext.Reset();
            RecordBlock.WriteHeader(plaintext, _count);
            plaintext.WriteRaw(state.BlockBody.WrittenSpan);
            var bound = ShardCipher.SealedLengthBound(plaintext.Length);
            if (state.SealBuffer.Length < bound)
            {
                state.SealBuffer = new byte[Math.Max(bound, state.SealBuffer.Length * 2)];
            }

            var length = shard.Cipher.Seal(codec.ValueTable, RecordFormat.Key(_firstId), plaintext.WrittenSpan, transaction, state.SealBuffer);
            var (database, insertValue, insertIndex) = statements;
            raw.sqlite3_bind_int64(insertValue, 1, _firstId);
            raw.sqlite3_bind_int(insertValue, 2, shard.Cipher.Epoch);
            raw.sqlite3_bind_blob(insertValue, 3, state.SealBuffer.AsSpan(0, length));
            RawSqlite.Execute(database, insertValue);

            var tag = state.TopicTag(shard, _topic!);
            raw.sqlite3_bind_int64(insertIndex, 1, tag);
            raw.sqlite3_bind_int64(insertIndex, 2, _firstMicros);
            raw.sqlite3_bind_int64(insertIndex, 3, _firstId);
            raw.sqlite3_bind_int64(insertIndex, 4, _lastMicros);
            raw.sqlite3_bind_int64(insertIndex, 5, _previousId);
            raw.sqlite3_bind_int(insertIndex, 6, _count);
            RawSqlite.Execute(database, insertIndex);
            state.Spans.Widen(shard, transaction, codec.SpanTable, tag, _lastMicros - _firstMicros);

            LastSealed = (_firstId, _previousId);
            state.BlockBody.Reset();
            _count = 0;
        }
    }

    private readonly record struct BlockStatements(sqlite3 Database, sqlite3_stmt InsertValue, sqlite3_stmt InsertIndex);

    private sealed class ShardState(StoreDatabase database, TimeProvider clock)
    {
        public StoreDatabase Database { get; } = database;

        public RecordIds Ids { get; } = new(database.Shard, clock);

        public RecordWriter Writer { get; } = new();

        public List<T> Pending { get; } = [];

        public List<byte[]> Samples { get; } = [];

        public byte[] SealBuffer { get; set; } = new byte[1024];

        public RecordWriter BlockWriter { get; } = new();

        public RecordWriter BlockBody { get; } = new();

        // The key and last id of the block this writer sealed last, committed.
        public (long Key, long LastId)? LastBlock { get; set; }

        public StoreShard? Connection { get; set; }

        public long Count { get; set; }

        public TopicSpans Spans { get; } = new();

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
