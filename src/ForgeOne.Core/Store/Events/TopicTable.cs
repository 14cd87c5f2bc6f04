using System.Globalization;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Events;

/// <summary>
/// The <c>topics</c> table of an events shard: per topic, when it was first written, its earliest and latest event
/// timestamps and how many events it has in the shard.
/// </summary>
/// <remarks>
/// <para>Row: <c>topic = Tag64("topic", name)</c>, the same tag as <c>event_index</c>; value sealed under table
/// <c>topics</c> and the tag's 8 key bytes, plaintext layout 1: <c>1:u8 || name:str || created:zigzag(µs) ||
/// first:zigzag(µs) || last:zigzag(µs) || count:varint</c>.</para>
/// <para>The shared time-series writer commits events without a hook for other tables, so topics are updated in a
/// second transaction straight after each batch. A process killed between the two leaves that batch out of the
/// counts (never the events themselves); the next batch of the topic does not repair it. The row is a summary for
/// listing, not something queries depend on.</para>
/// </remarks>
internal static class TopicTable
{
    private const string Table = "topics";
    private const byte Layout = 1;

    /// <summary>Adds freshly written events of one shard to its topic rows, inside the transaction that wrote them.</summary>
    public static void Add(StoreShard shard, IEnumerable<EventMessage> written, DateTimeOffset now, SqliteTransaction transaction)
    {
        foreach (var group in written.GroupBy(message => message.Topic, StringComparer.Ordinal))
        {
            var tag = shard.Keys.Tag64("topic", group.Key);
            var existing = Read(shard, tag, transaction);
            if (existing is not null && existing.Name != group.Key)
            {
                // Two topic names under one 64-bit tag: as unlikely as a random collision; the first keeps the row.
                continue;
            }

            var first = group.Min(message => message.Timestamp);
            var last = group.Max(message => message.Timestamp);
            var topic = existing is null
                ? new EventTopic { Name = group.Key, Created = now, FirstTimestamp = first, LastTimestamp = last, Count = group.LongCount() }
                : existing with
                {
                    FirstTimestamp = first < existing.FirstTimestamp ? first : existing.FirstTimestamp,
                    LastTimestamp = last > existing.LastTimestamp ? last : existing.LastTimestamp,
                    Count = existing.Count + group.LongCount(),
                };
            Write(shard, tag, topic, transaction);
        }
    }

    /// <summary>Every topic row of one shard.</summary>
    public static List<EventTopic> ReadAll(StoreShard shard)
    {
        using var command = shard.Connection.CreateCommand();
        command.CommandText = "SELECT topic, value FROM topics";
        using var reader = command.ExecuteReader();
        var topics = new List<EventTopic>();
        while (reader.Read())
        {
            topics.Add(Open(shard, reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return topics;
    }

    private static EventTopic? Read(StoreShard shard, long tag, SqliteTransaction transaction)
    {
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM topics WHERE topic = $topic";
        command.Parameters.AddWithValue("$topic", tag);
        return command.ExecuteScalar() is byte[] value ? Open(shard, tag, value) : null;
    }

    private static void Write(StoreShard shard, long tag, EventTopic topic, SqliteTransaction transaction)
    {
        var writer = new RecordWriter();
        writer.WriteByte(Layout);
        writer.WriteString(topic.Name);
        writer.WriteInt64(IndexPosition.Micros(topic.Created));
        writer.WriteInt64(IndexPosition.Micros(topic.FirstTimestamp));
        writer.WriteInt64(IndexPosition.Micros(topic.LastTimestamp));
        writer.WriteVarInt((ulong)topic.Count);
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO topics (topic, epoch, value) VALUES ($topic, $epoch, $value) "
            + "ON CONFLICT (topic) DO UPDATE SET epoch = excluded.epoch, value = excluded.value";
        command.Parameters.AddWithValue("$topic", tag);
        command.Parameters.AddWithValue("$epoch", shard.Cipher.Epoch);
        command.Parameters.AddWithValue("$value", shard.Cipher.Seal(Table, RecordFormat.Key(tag), writer.WrittenSpan, transaction));
        command.ExecuteNonQuery();
    }

    private static EventTopic Open(StoreShard shard, long tag, byte[] value)
    {
        var describe = "topic tag " + tag.ToString(CultureInfo.InvariantCulture);
        var plaintext = shard.Cipher.Open(Table, RecordFormat.Key(tag), value, describe);
        try
        {
            var reader = new RecordReader(plaintext);
            var layout = reader.ReadByte();
            if (layout != Layout)
            {
                throw new InvalidDataException($"topic layout {layout} is unknown to this build");
            }

            return new EventTopic
            {
                Name = reader.ReadString(),
                Created = IndexPosition.FromMicros(reader.ReadInt64()),
                FirstTimestamp = IndexPosition.FromMicros(reader.ReadInt64()),
                LastTimestamp = IndexPosition.FromMicros(reader.ReadInt64()),
                Count = (long)reader.ReadVarInt(),
            };
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(shard.Database.FileName, Table, describe, ex.Message, ex);
        }
    }
}
