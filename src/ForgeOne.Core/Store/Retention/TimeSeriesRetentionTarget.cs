using System.Globalization;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// Retention for time-series records (log entries, events): finds them through the block index (one row per block of
/// one topic, with its first and last timestamp) and deletes them with their blocks.
/// </summary>
/// <remarks>
/// <para>A block's records are in time order, so the expired records of a block are its first ones: a block whose
/// last record expired is deleted with its index row; a block that straddles the cutoff is resealed with the records
/// that remain, under the key of its first remaining record, and its index row replaced. A block is rewritten at most
/// once per run and most go whole.</para>
/// <para>
/// The index leads with the topic, so each topic is visited with one seek (<c>topic &gt; previous LIMIT 1</c>) and
/// its old blocks read as one range, <c>topic = t AND timestamp &lt; cutoff</c>: the cost grows with the number of
/// topics and of records deleted, not with the size of the shard. Deleted values leave free pages behind, still
/// sealed; SQLite reuses them for new records.</para>
/// </remarks>
public sealed class TimeSeriesRetentionTarget : IRetentionTarget
{
    /// <summary>Log entries: <c>logs</c> and <c>log_index</c>.</summary>
    public static readonly TimeSeriesRetentionTarget Logs = new(StoreDatabaseKind.Logs, "logs", "log_index");

    /// <summary>Events: <c>events</c> and <c>event_index</c>.</summary>
    public static readonly TimeSeriesRetentionTarget Events = new(StoreDatabaseKind.Events, "events", "event_index");

    private readonly string _valueTable;
    private readonly string _indexTable;

    private TimeSeriesRetentionTarget(StoreDatabaseKind kind, string valueTable, string indexTable)
    {
        Kind = kind;
        _valueTable = valueTable;
        _indexTable = indexTable;
    }

    /// <inheritdoc/>
    public StoreDatabaseKind Kind { get; }

    /// <inheritdoc/>
    public StoreRetentionPlanItem Plan(StoreShard shard, DateTimeOffset cutoff, int maxIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIds);
        var cutoffMicros = IndexPosition.Micros(cutoff);
        long count = 0;
        long? oldest = null;
        long? newest = null;
        var ids = new List<long>();
        using var blocks = new BlockReader(shard, _valueTable);
        foreach (var topic in Topics(shard))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var row in ExpiringBlocks(shard, null, topic, cutoffMicros, int.MaxValue))
            {
                // A block that expires whole is counted from its row; one that straddles the cutoff, or whose ids are
                // still wanted for display, is opened.
                var whole = row.LastTimestamp < cutoffMicros;
                if (whole)
                {
                    count += row.Count;
                    oldest = Math.Min(oldest ?? long.MaxValue, row.Timestamp);
                    newest = Math.Max(newest ?? long.MinValue, row.LastTimestamp);
                    if (ids.Count >= maxIds)
                    {
                        continue;
                    }
                }

                var block = blocks.Find(row.Id) ?? throw RecordBlock.Missing(shard, _valueTable, _indexTable, row.Id);
                for (var index = 0; index < block.Count && block.TimestampAt(index) < cutoffMicros; index++)
                {
                    if (!whole)
                    {
                        count++;
                        oldest = Math.Min(oldest ?? long.MaxValue, block.TimestampAt(index));
                        newest = Math.Max(newest ?? long.MinValue, block.TimestampAt(index));
                    }

                    if (ids.Count < maxIds)
                    {
                        ids.Add(block.IdAt(index));
                    }
                }

                blocks.Forget();
            }
        }

        ids.Sort();
        return new StoreRetentionPlanItem(shard.Database.FileName, Kind, cutoff, count,
            oldest is null ? null : IndexPosition.FromMicros(oldest.Value),
            newest is null ? null : IndexPosition.FromMicros(newest.Value),
            ids, count > ids.Count);
    }

    /// <inheritdoc/>
    public long Delete(StoreShard shard, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var cutoffMicros = IndexPosition.Micros(cutoff);
        long deleted = 0;
        foreach (var topic in Topics(shard))
        {
            long batch;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch = DeleteBatch(shard, topic, cutoffMicros, batchSize);
                deleted += Math.Max(batch, 0);
            }
            while (batch >= 0);
        }

        return deleted;
    }

    // The index rows of a topic's blocks that start before the cutoff, in time order, up to about `records` records.
    private List<BlockRow> ExpiringBlocks(StoreShard shard, SqliteTransaction? transaction, long topic, long cutoffMicros, long records)
    {
        using var select = shard.Connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT timestamp, id, last_timestamp, last_id, count FROM {_indexTable} WHERE topic = $topic AND timestamp < $cutoff ORDER BY timestamp, id";
        select.Parameters.AddWithValue("$topic", topic);
        select.Parameters.AddWithValue("$cutoff", cutoffMicros);
        using var reader = select.ExecuteReader();
        var rows = new List<BlockRow>();
        long taken = 0;
        while (taken < records && reader.Read())
        {
            var row = new BlockRow(topic, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4));
            rows.Add(row);
            taken += row.Count;
        }

        return rows;
    }

    // Deletes the expired records of up to about batchSize records' worth of blocks in one transaction: the count
    // deleted, or -1 when the topic had no block left to visit.
    private long DeleteBatch(StoreShard shard, long topic, long cutoffMicros, int batchSize)
    {
        var transaction = shard.BeginWrite();
        try
        {
            var rows = ExpiringBlocks(shard, transaction, topic, cutoffMicros, batchSize);
            if (rows.Count == 0)
            {
                transaction.Rollback();
                return -1;
            }

            long deleted = 0;
            using var blocks = new BlockReader(shard, _valueTable);
            using var statements = new BlockStatements(shard, transaction, _valueTable, _indexTable);
            foreach (var row in rows)
            {
                statements.DeleteIndexRow(row);
                if (row.LastTimestamp < cutoffMicros)
                {
                    statements.DeleteValue(row.Id);
                    deleted += row.Count;
                    continue;
                }

                var block = blocks.Find(row.Id) ?? throw RecordBlock.Missing(shard, _valueTable, _indexTable, row.Id);
                var expired = 0;
                while (expired < block.Count && block.TimestampAt(expired) < cutoffMicros)
                {
                    expired++;
                }

                if (expired == 0)
                {
                    // The row says the block starts before the cutoff and the block says otherwise: damage to report, as
                    // queries do, rather than a row to rewrite quietly.
                    throw new RecordIntegrityException(shard.Database.FileName, _valueTable, "block " + row.Id.ToString(CultureInfo.InvariantCulture),
                        $"its {_indexTable} row starts before the cutoff but none of its records does");
                }

                if (expired == block.Count)
                {
                    statements.DeleteValue(row.Id);
                }
                else
                {
                    statements.Reseal(block, expired, row);
                }

                deleted += expired;
                blocks.Forget();
            }

            transaction.Commit();
            return deleted;
        }
        catch
        {
            // A reseal may have started a session whose row the rollback removes.
            transaction.Rollback();
            shard.ResetCipher();
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }

    /// <summary>The topic tags of the index, one seek each, read lazily so deletions in between do not matter.</summary>
    private IEnumerable<long> Topics(StoreShard shard)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = $"SELECT topic FROM {_indexTable} WHERE topic > $previous ORDER BY topic LIMIT 1";
        var previous = command.Parameters.AddWithValue("$previous", long.MinValue);
        using (var first = shard.Connection.CreateCommand())
        {
            first.CommandText = $"SELECT topic FROM {_indexTable} ORDER BY topic LIMIT 1";
            if (first.ExecuteScalar() is not long topic)
            {
                yield break;
            }

            previous.Value = topic;
            yield return topic;
        }

        while (command.ExecuteScalar() is long next)
        {
            previous.Value = next;
            yield return next;
        }
    }

    // One block's index row.
    private readonly record struct BlockRow(long Topic, long Timestamp, long Id, long LastTimestamp, long LastId, int Count);

    // The statements that delete and rewrite blocks and their index rows inside one retention transaction.
    private sealed class BlockStatements : IDisposable
    {
        private readonly StoreShard _shard;
        private readonly SqliteTransaction _transaction;
        private readonly string _valueTable;
        private readonly SqliteCommand _deleteValue;
        private readonly SqliteCommand _upsertValue;
        private readonly SqliteCommand _deleteIndex;
        private readonly SqliteCommand _insertIndex;
        private readonly RecordWriter _plaintext = new();
        private readonly RecordWriter _body = new();

        public BlockStatements(StoreShard shard, SqliteTransaction transaction, string valueTable, string indexTable)
        {
            _shard = shard;
            _transaction = transaction;
            _valueTable = valueTable;
            _deleteValue = Command($"DELETE FROM {valueTable} WHERE id = $id");
            _upsertValue = Command($"INSERT INTO {valueTable} (id, epoch, value) VALUES ($id, $epoch, $value) "
                + "ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, value = excluded.value");
            _deleteIndex = Command($"DELETE FROM {indexTable} WHERE topic = $topic AND timestamp = $timestamp AND id = $id");
            _insertIndex = Command($"INSERT INTO {indexTable} (topic, timestamp, id, last_timestamp, last_id, count) "
                + "VALUES ($topic, $timestamp, $id, $last_timestamp, $last_id, $count)");
        }

        public void DeleteValue(long key) => Run(_deleteValue, ("$id", key));

        public void DeleteIndexRow(BlockRow row) => Run(_deleteIndex, ("$topic", row.Topic), ("$timestamp", row.Timestamp), ("$id", row.Id));

        // Reseals the block without its first `drop` records, under the key of the first one kept, with a new index row.
        public void Reseal(RecordBlock block, int drop, BlockRow row)
        {
            var key = block.IdAt(drop);
            if (key != block.Key)
            {
                DeleteValue(block.Key);
            }

            _body.Reset();
            var previous = key;
            for (var index = drop; index < block.Count; index++)
            {
                RecordBlock.WriteEntry(_body, block.IdAt(index) - previous, block.RecordAt(index));
                previous = block.IdAt(index);
            }

            _plaintext.Reset();
            RecordBlock.WriteHeader(_plaintext, block.Count - drop);
            _plaintext.WriteRaw(_body.WrittenSpan);
            Run(_upsertValue, ("$id", key), ("$epoch", _shard.Cipher.Epoch),
                ("$value", _shard.Cipher.Seal(_valueTable, RecordFormat.Key(key), _plaintext.WrittenSpan, _transaction)));
            Run(_insertIndex, ("$topic", row.Topic), ("$timestamp", block.TimestampAt(drop)), ("$id", key),
                ("$last_timestamp", row.LastTimestamp), ("$last_id", row.LastId), ("$count", block.Count - drop));
        }

        public void Dispose()
        {
            _deleteValue.Dispose();
            _upsertValue.Dispose();
            _deleteIndex.Dispose();
            _insertIndex.Dispose();
        }

        private static void Run(SqliteCommand command, params (string Name, object Value)[] values)
        {
            command.Parameters.Clear();
            foreach (var (name, value) in values)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }

        private SqliteCommand Command(string text)
        {
            var command = _shard.Connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = text;
            return command;
        }
    }
}
