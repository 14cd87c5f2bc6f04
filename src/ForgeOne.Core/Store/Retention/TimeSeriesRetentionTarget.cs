using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// Retention for time-series records (log entries, events): finds them through the <c>(topic, timestamp, id)</c>
/// index and deletes each one's index row and its place in its block (<see cref="RecordBlock"/>) together.
/// </summary>
/// <remarks>
/// <para>Per transaction, the expired records' blocks are opened; a block left without records is deleted, any other
/// is resealed with the records that remain, under the key of its first remaining record (the block is moved to that
/// key when its first record expired). A block's records share a topic and its records expire oldest first, so a
/// block is rewritten at most once per batch and usually goes whole.</para>
/// <para>
/// The index leads with the topic, so each topic is visited with one seek (<c>topic &gt; previous LIMIT 1</c>) and
/// its old records read as one range, <c>topic = t AND timestamp &lt; cutoff</c>: the cost grows with the number of
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
        using var summary = shard.Connection.CreateCommand();
        summary.CommandText = $"SELECT count(*), min(timestamp), max(timestamp) FROM {_indexTable} WHERE topic = $topic AND timestamp < $cutoff";
        var summaryTopic = summary.Parameters.Add("$topic", SqliteType.Integer);
        summary.Parameters.AddWithValue("$cutoff", cutoffMicros);
        using var listIds = shard.Connection.CreateCommand();
        listIds.CommandText = $"SELECT id FROM {_indexTable} WHERE topic = $topic AND timestamp < $cutoff ORDER BY timestamp, id LIMIT $limit";
        var listTopic = listIds.Parameters.Add("$topic", SqliteType.Integer);
        listIds.Parameters.AddWithValue("$cutoff", cutoffMicros);
        var limit = listIds.Parameters.Add("$limit", SqliteType.Integer);

        foreach (var topic in Topics(shard))
        {
            cancellationToken.ThrowIfCancellationRequested();
            summaryTopic.Value = topic;
            using (var reader = summary.ExecuteReader())
            {
                reader.Read();
                var topicCount = reader.GetInt64(0);
                if (topicCount == 0)
                {
                    continue;
                }

                count += topicCount;
                oldest = Math.Min(oldest ?? long.MaxValue, reader.GetInt64(1));
                newest = Math.Max(newest ?? long.MinValue, reader.GetInt64(2));
            }

            if (ids.Count < maxIds)
            {
                listTopic.Value = topic;
                limit.Value = maxIds - ids.Count;
                using var reader = listIds.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
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
            int batch;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch = DeleteBatch(shard, topic, cutoffMicros, batchSize);
                deleted += batch;
            }
            while (batch == batchSize);
        }

        return deleted;
    }

    private int DeleteBatch(StoreShard shard, long topic, long cutoffMicros, int batchSize)
    {
        var transaction = shard.BeginWrite();
        try
        {
            var rows = new List<(long Timestamp, long Id)>(batchSize);
            using (var select = shard.Connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = $"SELECT timestamp, id FROM {_indexTable} WHERE topic = $topic AND timestamp < $cutoff ORDER BY timestamp, id LIMIT $limit";
                select.Parameters.AddWithValue("$topic", topic);
                select.Parameters.AddWithValue("$cutoff", cutoffMicros);
                select.Parameters.AddWithValue("$limit", batchSize);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
                }
            }

            DropFromBlocks(shard, transaction, [.. rows.Select(row => row.Id).Order()]);

            using var deleteIndex = shard.Connection.CreateCommand();
            deleteIndex.Transaction = transaction;
            deleteIndex.CommandText = $"DELETE FROM {_indexTable} WHERE topic = $topic AND timestamp = $timestamp AND id = $id";
            deleteIndex.Parameters.AddWithValue("$topic", topic);
            var indexTimestamp = deleteIndex.Parameters.Add("$timestamp", SqliteType.Integer);
            var indexId = deleteIndex.Parameters.Add("$id", SqliteType.Integer);
            foreach (var (timestamp, id) in rows)
            {
                indexTimestamp.Value = timestamp;
                indexId.Value = id;
                deleteIndex.ExecuteNonQuery();
            }

            transaction.Commit();
            return rows.Count;
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

    // Removes the records from their blocks: a block left empty is deleted, any other is resealed with the records
    // that remain, under the key of its first remaining record. All blocks are read before the first is changed.
    private void DropFromBlocks(StoreShard shard, SqliteTransaction transaction, List<long> expired)
    {
        var affected = new List<(RecordBlock Block, HashSet<long> Dropped)>();
        using (var blocks = new BlockReader(shard, _valueTable))
        {
            foreach (var id in expired)
            {
                var block = blocks.Find(id);
                if (block is null || block.IndexOf(id) < 0)
                {
                    continue;
                }

                if (affected.Count == 0 || affected[^1].Block.Key != block.Key)
                {
                    affected.Add((block, []));
                }

                affected[^1].Dropped.Add(id);
            }
        }

        using var delete = shard.Connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = $"DELETE FROM {_valueTable} WHERE id = $id";
        var deleteId = delete.Parameters.Add("$id", SqliteType.Integer);
        using var upsert = shard.Connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = $"INSERT INTO {_valueTable} (id, epoch, value) VALUES ($id, $epoch, $value) "
            + "ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, value = excluded.value";
        var upsertId = upsert.Parameters.Add("$id", SqliteType.Integer);
        var upsertEpoch = upsert.Parameters.Add("$epoch", SqliteType.Integer);
        var upsertValue = upsert.Parameters.Add("$value", SqliteType.Blob);
        var plaintext = new RecordWriter();
        var body = new RecordWriter();
        foreach (var (block, dropped) in affected)
        {
            var kept = Enumerable.Range(0, block.Count).Where(index => !dropped.Contains(block.IdAt(index))).ToList();
            var key = kept.Count == 0 ? 0 : block.IdAt(kept[0]);
            if (key != block.Key)
            {
                deleteId.Value = block.Key;
                delete.ExecuteNonQuery();
            }

            if (kept.Count == 0)
            {
                continue;
            }

            body.Reset();
            var previous = key;
            foreach (var index in kept)
            {
                RecordBlock.WriteEntry(body, block.IdAt(index) - previous, block.RecordAt(index));
                previous = block.IdAt(index);
            }

            plaintext.Reset();
            RecordBlock.WriteHeader(plaintext, kept.Count);
            plaintext.WriteRaw(body.WrittenSpan);
            upsertId.Value = key;
            upsertEpoch.Value = shard.Cipher.Epoch;
            upsertValue.Value = shard.Cipher.Seal(_valueTable, RecordFormat.Key(key), plaintext.WrittenSpan, transaction);
            upsert.ExecuteNonQuery();
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
}
