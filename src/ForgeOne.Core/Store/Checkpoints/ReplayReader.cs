using System.Globalization;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using ForgeOne.Core.Threading;

namespace ForgeOne.Core.Store.Checkpoints;

/// <summary>
/// Reads time-series records (log entries, events) in id order, which is the order their writes committed in each
/// shard, starting after a consumer's checkpoint: the replay side of <see cref="CheckpointTable"/>.
/// </summary>
/// <remarks>
/// <para>Each page takes, from every shard, the next ids after <c>max(checkpoint position of the shard, cursor)</c>,
/// merges them by id and keeps a page's worth; the continuation token (<c>r</c> followed by the last id) is the
/// cursor. Ids are unique across shards, so the merge is exact. Without a topic the ids come from the record
/// table's blocks in key order (<see cref="RecordBlock"/>: a block's key is its first id and blocks never interleave),
/// skipping a block's records up to the position; the blocks opened for that are kept for the page. With a topic they
/// come from the topic's blocks in id order, found through the index's <c>(topic, last_id)</c> index as one range
/// read. Time and other filters apply after opening.</para>
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
    private readonly BlockReader[] _blocks;

    public ReplayReader(ForgeStore store, TimeSeriesCodec<T> codec)
    {
        _store = store;
        _codec = codec;
        _shards = store.OpenShards(codec.Kind);
        _blocks = [.. _shards.Select(shard => new BlockReader(shard, codec.ValueTable))];
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
            ParallelWork.For(_shards.Length, index =>
            {
                var start = Math.Max(current, checkpoint?.PositionOf(_shards[index].Database.Shard) ?? 0);
                perShard[index] = Candidates(index, tag, start, need);
            });
            var merged = perShard.SelectMany(list => list).Order().Take(need).ToList();
            if (merged.Count == 0)
            {
                return new StorePage<T>(items, null);
            }

            var opened = OpenAll(merged);
            foreach (var record in opened)
            {
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
        for (var index = 0; index < _shards.Length; index++)
        {
            _blocks[index].Dispose();
            _shards[index].Dispose();
        }
    }

    private static long ParseToken(string token) =>
        token.StartsWith(TokenPrefix, StringComparison.Ordinal)
        && long.TryParse(token.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException(
                $"'{token}' is not a continuation token of a read after a checkpoint; pass the ContinuationToken of the previous page of the same kind of read.",
                nameof(token));

    private List<long> Candidates(int shardIndex, long? tag, long start, int limit)
    {
        var blocks = _blocks[shardIndex];
        blocks.Forget();
        if (tag is null)
        {
            return blocks.IdsAfter(start, limit);
        }

        // Block ids never interleave, so the topic's blocks in last-id order are in id order too.
        using var command = _shards[shardIndex].Connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {_codec.IndexTable} WHERE topic = $topic AND last_id > $start ORDER BY last_id";
        command.Parameters.AddWithValue("$topic", tag.Value);
        command.Parameters.AddWithValue("$start", start);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (ids.Count < limit && reader.Read())
        {
            var block = blocks.Find(reader.GetInt64(0));
            for (var index = 0; block is not null && index < block.Count && ids.Count < limit; index++)
            {
                if (block.IdAt(index) > start)
                {
                    ids.Add(block.IdAt(index));
                }
            }
        }

        return ids;
    }

    // The records of the ids (in id order), in that order.
    private T[] OpenAll(List<long> ids)
    {
        var records = new T[ids.Count];
        var byShard = new List<int>?[_shards.Length];
        var indexOf = new int[StoreLayout.MaximumShards];
        for (var index = 0; index < _shards.Length; index++)
        {
            indexOf[_shards[index].Database.Shard] = index;
        }

        for (var slot = 0; slot < ids.Count; slot++)
        {
            (byShard[indexOf[RecordIds.ShardOf(ids[slot])]] ??= []).Add(slot);
        }

        ParallelWork.For(_shards.Length, index =>
        {
            if (byShard[index] is not { } slots)
            {
                return;
            }

            var blocks = _blocks[index];
            var shard = blocks.Shard;
            foreach (var slot in slots)
            {
                var id = ids[slot];
                var block = blocks.Find(id);
                var position = block?.IndexOf(id) ?? -1;
                if (position < 0)
                {
                    throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture),
                        $"its {_codec.IndexTable} row points at a record that no block holds");
                }

                records[slot] = _codec.ReadFrom(shard, block!, position, _store.Subjects);
            }

            blocks.Forget();
        });
        return records;
    }
}
