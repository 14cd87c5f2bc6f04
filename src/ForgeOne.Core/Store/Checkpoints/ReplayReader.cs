using System.Globalization;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;

namespace ForgeOne.Core.Store.Checkpoints;

/// <summary>
/// Reads time-series records (log entries, events) in id order, which is the order their writes committed in each
/// shard, starting after a consumer's checkpoint: the replay side of <see cref="CheckpointTable"/>.
/// </summary>
/// <remarks>
/// <para>Each page takes, from every shard, the next ids after <c>max(checkpoint position of the shard, cursor)</c>,
/// merges them by id and keeps a page's worth; the continuation token (<c>r</c> followed by the last id) is the
/// cursor. Ids are unique across shards, so the merge is exact. Without a topic the ids come straight from the
/// record table's id order. With a topic they come from the topic's index rows, which are ordered by timestamp, so
/// each page scans the topic's index rows in the shard (cheap rows of three integers, but linear in the topic's size);
/// an index on (topic, id) would make that a range read. Time and other filters apply after opening.</para>
/// <para>Holds one connection per shard until disposed; not thread-safe.</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class ReplayReader<T> : IDisposable
    where T : class
{
    private const string TokenPrefix = "r";

    private readonly ForgeStore _store;
    private readonly TimeSeriesCodec<T> _codec;
    private readonly StoreShard[] _shards;

    public ReplayReader(ForgeStore store, TimeSeriesCodec<T> codec)
    {
        _store = store;
        _codec = codec;
        var opened = new List<StoreShard>();
        try
        {
            foreach (var database in store.Layout.Shards(codec.Kind))
            {
                opened.Add(store.OpenShard(database));
            }
        }
        catch
        {
            opened.ForEach(shard => shard.Dispose());
            throw;
        }

        _shards = [.. opened];
    }

    /// <summary>Reads one page in id order.</summary>
    /// <param name="checkpoint">Where the consumer stands; null to start at the first record.</param>
    /// <param name="topic">The topic, or null for every topic.</param>
    /// <param name="from">Earliest timestamp, inclusive, or null.</param>
    /// <param name="to">Latest timestamp, exclusive, or null.</param>
    /// <param name="after">The previous replay page's continuation token, or null.</param>
    /// <param name="pageSize">Records per page, 1 to 100,000.</param>
    /// <param name="filter">Keeps a record when true; null keeps all.</param>
    /// <returns>The page.</returns>
    public StorePage<T> ReadPage(ConsumerCheckpoint? checkpoint, string? topic, DateTimeOffset? from, DateTimeOffset? to, string? after, int pageSize, Func<T, bool>? filter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 100_000);
        if (topic is not null)
        {
            Validation.Topic(topic);
        }

        long? tag = topic is null ? null : _store.Keys.Tag64("topic", topic);
        var cursor = after is null ? 0 : ParseToken(after);
        var items = new List<T>(Math.Min(pageSize, 4096));
        while (items.Count < pageSize)
        {
            var need = pageSize - items.Count;
            var perShard = new List<long>[_shards.Length];
            var current = cursor;
            Parallel.For(0, _shards.Length, index =>
            {
                var start = Math.Max(current, checkpoint?.PositionOf(_shards[index].Database.Shard) ?? 0);
                perShard[index] = Candidates(_shards[index], tag, start, need);
            });
            var merged = perShard.SelectMany(list => list).Order().Take(need).ToList();
            if (merged.Count == 0)
            {
                return new StorePage<T>(items, null);
            }

            var opened = OpenAll(merged);
            foreach (var id in merged)
            {
                var record = opened[id];
                var timestamp = _codec.TimestampOf(record);
                if ((topic is null || _codec.TopicOf(record) == topic)
                    && (from is null || timestamp >= from) && (to is null || timestamp < to)
                    && (filter is null || filter(record)))
                {
                    items.Add(record);
                }
            }

            cursor = merged[^1];
            if (merged.Count < need && perShard.All(list => list.Count < need))
            {
                return new StorePage<T>(items, null);
            }
        }

        return new StorePage<T>(items, TokenPrefix + cursor.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Reads every record after the checkpoint, page by page, in id order.</summary>
    /// <param name="checkpoint">Where the consumer stands; null to start at the first record.</param>
    /// <param name="topic">The topic, or null for every topic.</param>
    /// <param name="from">Earliest timestamp, inclusive, or null.</param>
    /// <param name="to">Latest timestamp, exclusive, or null.</param>
    /// <param name="after">A replay continuation token to start after, or null.</param>
    /// <param name="filter">Keeps a record when true; null keeps all.</param>
    /// <param name="pageSize">Records read at a time.</param>
    /// <returns>The records.</returns>
    public IEnumerable<T> ReadAll(ConsumerCheckpoint? checkpoint, string? topic, DateTimeOffset? from, DateTimeOffset? to, string? after, Func<T, bool>? filter, int pageSize)
    {
        do
        {
            var page = ReadPage(checkpoint, topic, from, to, after, pageSize, filter);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            after = page.ContinuationToken;
        }
        while (after is not null);
    }

    /// <summary>Closes the shard connections.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    private static long ParseToken(string token) =>
        token.StartsWith(TokenPrefix, StringComparison.Ordinal)
        && long.TryParse(token.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException(
                $"'{token}' is not a continuation token of a read after a checkpoint; pass the ContinuationToken of the previous page of the same kind of read.",
                nameof(token));

    private List<long> Candidates(StoreShard shard, long? tag, long start, int limit)
    {
        using var command = shard.Connection.CreateCommand();
        if (tag is null)
        {
            command.CommandText = $"SELECT id FROM {_codec.ValueTable} WHERE id > $start ORDER BY id LIMIT $limit";
        }
        else
        {
            command.CommandText = $"SELECT id FROM {_codec.IndexTable} WHERE topic = $topic AND id > $start ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$topic", tag.Value);
        }

        command.Parameters.AddWithValue("$start", start);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private Dictionary<long, T> OpenAll(List<long> ids)
    {
        var byShard = ids.GroupBy(RecordIds.ShardOf).ToArray();
        var opened = new Dictionary<long, T>[byShard.Length];
        Parallel.For(0, byShard.Length, index =>
        {
            var group = byShard[index];
            opened[index] = Open(_shards.Single(shard => shard.Database.Shard == group.Key), [.. group]);
        });
        return opened.SelectMany(map => map).ToDictionary(pair => pair.Key, pair => pair.Value);
    }

    private Dictionary<long, T> Open(StoreShard shard, List<long> ids)
    {
        var records = new Dictionary<long, T>(ids.Count);
        const int Batch = 500;
        for (var start = 0; start < ids.Count; start += Batch)
        {
            using var command = shard.Connection.CreateCommand();
            command.CommandText = $"SELECT id, value FROM {_codec.ValueTable} WHERE id IN ({string.Join(',', ids.Skip(start).Take(Batch).Select(id => id.ToString(CultureInfo.InvariantCulture)))})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                var describe = id.ToString(CultureInfo.InvariantCulture);
                var plaintext = shard.Cipher.Open(_codec.ValueTable, RecordFormat.Key(id), (byte[])reader.GetValue(1), describe);
                try
                {
                    records[id] = _codec.Deserialize(id, shard.Database.Shard, plaintext, _store.Subjects);
                }
                catch (InvalidDataException ex)
                {
                    throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, describe, ex.Message, ex);
                }
            }
        }

        foreach (var id in ids.Where(id => !records.ContainsKey(id)))
        {
            throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture),
                $"its {_codec.IndexTable} row points at a record that is not there");
        }

        return records;
    }
}
