using System.Globalization;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Checkpoints;

/// <summary>
/// The <c>checkpoints</c> tables of one kind of time-series database (logs, events): a consumer's position in each
/// shard, kept in that shard's own file.
/// </summary>
/// <remarks>
/// <para>Row: <c>consumer = Tag64("consumer", name)</c>; value sealed under table <c>checkpoints</c> and the tag's
/// 8 key bytes, plaintext layout 1: <c>1:u8 || name:str || position:zigzag || updated:zigzag(µs)</c>.</para>
/// <para>Each shard holds only its own position, so a shard restored from a backup brings back the checkpoints
/// that match its records. The price is that moving a checkpoint over several shards takes one transaction per
/// shard: a crash in between leaves some shards behind, and their records are delivered again (at least once,
/// never lost).</para>
/// <para>Positions only move forward: a consumer that passes an older batch by mistake does not replay what it
/// has already consumed. <see cref="Remove"/> starts a consumer over.</para>
/// </remarks>
internal sealed class CheckpointTable(ForgeStore store, StoreDatabaseKind kind)
{
    private const string Table = "checkpoints";
    private const byte Layout = 1;

    /// <summary>Reads a consumer's checkpoint from every shard.</summary>
    /// <returns>The checkpoint, or null when the consumer has none.</returns>
    public ConsumerCheckpoint? Get(string consumer)
    {
        Validation.Consumer(consumer);
        var tag = store.Keys.Tag64("consumer", consumer);
        var positions = new Dictionary<int, long>();
        var updated = DateTimeOffset.MinValue;
        foreach (var database in store.Layout.Shards(kind))
        {
            using var shard = store.OpenShard(database);
            if (Read(shard, tag, consumer, null) is { } row)
            {
                positions[database.Shard] = row.Position;
                updated = row.Updated > updated ? row.Updated : updated;
            }
        }

        return positions.Count == 0 ? null : new ConsumerCheckpoint { Consumer = consumer, Positions = positions, Updated = updated };
    }

    /// <summary>Moves a consumer's position in each shard forward to the largest of <paramref name="ids"/> in it.</summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="ids">Ids of records the consumer has processed.</param>
    /// <returns>The checkpoint as stored.</returns>
    /// <exception cref="ArgumentException">No ids were given, or one is not a record id of this store.</exception>
    public ConsumerCheckpoint Advance(string consumer, IEnumerable<long> ids)
    {
        Validation.Consumer(consumer);
        ArgumentNullException.ThrowIfNull(ids);
        var shardCount = store.Layout.ShardCount(kind);
        var latest = new Dictionary<int, long>();
        foreach (var id in ids)
        {
            var shardNumber = RecordIds.ShardOf(id);
            if (id <= 0 || shardNumber >= shardCount)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{id} is not the id of a stored record; pass records read back from the store."), nameof(ids));
            }

            latest[shardNumber] = Math.Max(latest.GetValueOrDefault(shardNumber), id);
        }

        if (latest.Count == 0)
        {
            throw new ArgumentException("A checkpoint needs at least one consumed record.", nameof(ids));
        }

        var tag = store.Keys.Tag64("consumer", consumer);
        var key = RecordFormat.Key(tag);
        var now = DateTimeOffset.UtcNow;
        var writer = new RecordWriter();
        foreach (var (shardNumber, position) in latest.OrderBy(pair => pair.Key))
        {
            using var shard = store.OpenShard(new StoreDatabase(kind, shardNumber));
            using var transaction = shard.BeginWrite();
            if (Read(shard, tag, consumer, transaction) is { } existing && existing.Position >= position)
            {
                continue;
            }

            writer.Reset();
            writer.WriteByte(Layout);
            writer.WriteString(consumer);
            writer.WriteInt64(position);
            writer.WriteInt64(IndexPosition.Micros(now));
            using var command = shard.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO checkpoints (consumer, epoch, value) VALUES ($consumer, $epoch, $value) "
                + "ON CONFLICT (consumer) DO UPDATE SET epoch = excluded.epoch, value = excluded.value";
            command.Parameters.AddWithValue("$consumer", tag);
            command.Parameters.AddWithValue("$epoch", shard.Cipher.Epoch);
            command.Parameters.AddWithValue("$value", shard.Cipher.Seal(Table, key, writer.WrittenSpan, transaction));
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return Get(consumer)!;
    }

    /// <summary>Deletes a consumer's checkpoint from every shard, so it starts over from the first record.</summary>
    /// <returns>True when there was one.</returns>
    public bool Remove(string consumer)
    {
        Validation.Consumer(consumer);
        var tag = store.Keys.Tag64("consumer", consumer);
        var removed = false;
        foreach (var database in store.Layout.Shards(kind))
        {
            using var shard = store.OpenShard(database);
            using var command = shard.Connection.CreateCommand();
            command.CommandText = "DELETE FROM checkpoints WHERE consumer = $consumer";
            command.Parameters.AddWithValue("$consumer", tag);
            removed |= command.ExecuteNonQuery() > 0;
        }

        return removed;
    }

    private static (long Position, DateTimeOffset Updated)? Read(StoreShard shard, long tag, string consumer, SqliteTransaction? transaction)
    {
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM checkpoints WHERE consumer = $consumer";
        command.Parameters.AddWithValue("$consumer", tag);
        if (command.ExecuteScalar() is not byte[] value)
        {
            return null;
        }

        var describe = "consumer " + consumer;
        var plaintext = shard.Cipher.Open(Table, RecordFormat.Key(tag), value, describe);
        try
        {
            var reader = new RecordReader(plaintext);
            var layout = reader.ReadByte();
            if (layout != Layout)
            {
                throw new InvalidDataException($"checkpoint layout {layout} is unknown to this build");
            }

            // Another name under the same 64-bit tag is as unlikely as a random collision; treat it as no checkpoint.
            return reader.ReadString() == consumer
                ? (reader.ReadInt64(), IndexPosition.FromMicros(reader.ReadInt64()))
                : null;
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(shard.Database.FileName, Table, describe, ex.Message, ex);
        }
    }
}
