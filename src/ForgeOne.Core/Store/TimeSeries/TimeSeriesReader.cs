using System.Globalization;
using ForgeOne.Core.Store.Records;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Reads time-series records by topic and time range across every shard of their kind, in timestamp order.
/// </summary>
/// <remarks>
/// <para>Each page is found in two steps. First every shard, in parallel, reads up to a page of (timestamp, id)
/// rows from its index after the previous page's last position; the rows are merged and the first page's worth
/// kept. Only then are those records opened, again a shard per thread: each shard's ids in id order, each block
/// (<see cref="RecordBlock"/>) opened once for all the wanted records it holds, and only those deserialized.
/// Blocks hold one topic's records in time order, so a topic and time query opens few blocks besides its records,
/// and a page costs about one page of decryption however many shards there are. Filters the index cannot apply (severity, a topic whose
/// tag collides) are applied after opening; when they drop records, the next candidates are read until the page
/// is full or the range is exhausted.</para>
/// <para>Holds one connection per shard until disposed; not thread-safe.</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public sealed class TimeSeriesReader<T> : IDisposable
    where T : class
{
    private readonly ForgeStore _store;
    private readonly TimeSeriesCodec<T> _codec;
    private readonly StoreShard[] _shards;
    private readonly BlockReader[] _blocks;
    private readonly sqlite3_stmt?[] _byTopic;
    private readonly sqlite3_stmt?[] _allTopics;

    /// <summary>Opens every shard of the codec's kind.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The record kind.</param>
    public TimeSeriesReader(ForgeStore store, TimeSeriesCodec<T> codec)
    {
        _store = store;
        _codec = codec;
        _shards = store.OpenShards(codec.Kind);
        _blocks = [.. _shards.Select(shard => new BlockReader(shard, codec.ValueTable))];
        _byTopic = new sqlite3_stmt?[_shards.Length];
        _allTopics = new sqlite3_stmt?[_shards.Length];
    }

    /// <summary>Reads one page.</summary>
    /// <param name="topic">The topic, or null for all topics.</param>
    /// <param name="from">Earliest timestamp, inclusive, or null.</param>
    /// <param name="to">Latest timestamp, exclusive, or null.</param>
    /// <param name="after">The previous page's continuation token, or null.</param>
    /// <param name="pageSize">Records per page, 1 to 100,000.</param>
    /// <param name="filter">Keeps a record when true; null keeps all.</param>
    /// <returns>The page.</returns>
    public StorePage<T> ReadPage(string? topic, DateTimeOffset? from, DateTimeOffset? to, string? after, int pageSize, Func<T, bool>? filter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 100_000);
        if (topic is not null)
        {
            Validation.Topic(topic);
        }

        long? tag = topic is null ? null : _store.Keys.Tag64("topic", topic);
        var fromMicros = from is null ? long.MinValue : IndexPosition.Micros(from.Value);
        var toMicros = to is null ? long.MaxValue : IndexPosition.Micros(to.Value);
        var cursor = after is null ? new IndexPosition(long.MinValue, long.MinValue) : IndexPosition.Parse(after);
        var items = new List<T>(Math.Min(pageSize, 4096));

        while (items.Count < pageSize)
        {
            var need = pageSize - items.Count;
            // Records are spread over shards by a hash, so each shard is asked for its share and a margin rather than
            // the whole page. A shard that filled its share may hold more: the merge is final only up to the
            // smallest last position among such shards, and the next round continues from there.
            var limit = _shards.Length == 1 ? need : Math.Min(need, (need / _shards.Length) + (need / (8 * _shards.Length)) + 64);
            var perShard = new List<(IndexPosition Position, int Shard)>[_shards.Length];
            ShardParallel.For(_shards.Length, index => perShard[index] = Candidates(index, tag, fromMicros, toMicros, cursor, limit));
            IndexPosition? bound = null;
            foreach (var list in perShard)
            {
                if (list.Count == limit && (bound is null || list[^1].Position.CompareTo(bound.Value) < 0))
                {
                    bound = list[^1].Position;
                }
            }

            var merged = Merge(perShard, need, bound);
            if (merged.Count == 0)
            {
                return new StorePage<T>(items, null);
            }

            var opened = OpenAll(merged);
            foreach (var record in opened)
            {
                if ((topic is null || _codec.TopicOf(record) == topic) && (filter is null || filter(record)))
                {
                    items.Add(record);
                }
            }

            cursor = merged[^1].Position;
            if (bound is null && merged.Count < need)
            {
                return new StorePage<T>(items, null);
            }
        }

        return new StorePage<T>(items, cursor.ToString());
    }

    /// <summary>Reads every matching record, page by page.</summary>
    /// <param name="topic">The topic, or null for all topics.</param>
    /// <param name="from">Earliest timestamp, inclusive, or null.</param>
    /// <param name="to">Latest timestamp, exclusive, or null.</param>
    /// <param name="after">A continuation token to start after, or null to start at the beginning.</param>
    /// <param name="filter">Keeps a record when true; null keeps all.</param>
    /// <param name="pageSize">Records read at a time.</param>
    /// <returns>The records in timestamp order.</returns>
    public IEnumerable<T> ReadAll(string? topic, DateTimeOffset? from, DateTimeOffset? to, string? after, Func<T, bool>? filter, int pageSize = 1000)
    {
        do
        {
            var page = ReadPage(topic, from, to, after, pageSize, filter);
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
            _byTopic[index]?.Dispose();
            _allTopics[index]?.Dispose();
            _blocks[index].Dispose();
            _shards[index].Dispose();
        }
    }

    // Each shard's list is already in (timestamp, id) order: a k-way merge keeps the first page's worth
    // without sorting every candidate of every shard.
    private static List<(IndexPosition Position, int Shard)> Merge(List<(IndexPosition Position, int Shard)>[] perShard, int limit, IndexPosition? bound)
    {
        var merged = new List<(IndexPosition Position, int Shard)>(Math.Min(limit, perShard.Sum(list => list.Count)));
        var next = new int[perShard.Length];
        while (merged.Count < limit)
        {
            var best = -1;
            for (var shard = 0; shard < perShard.Length; shard++)
            {
                if (next[shard] < perShard[shard].Count
                    && (best < 0 || perShard[shard][next[shard]].Position.CompareTo(perShard[best][next[best]].Position) < 0))
                {
                    best = shard;
                }
            }

            if (best < 0 || (bound is { } last && perShard[best][next[best]].Position.CompareTo(last) > 0))
            {
                break;
            }

            merged.Add(perShard[best][next[best]++]);
        }

        return merged;
    }

    private List<(IndexPosition, int)> Candidates(int shardIndex, long? tag, long fromMicros, long toMicros, IndexPosition cursor, int limit)
    {
        var database = _shards[shardIndex].Connection.Handle!;
        const string Range = "timestamp >= ?1 AND timestamp < ?2 AND (timestamp > ?3 OR (timestamp = ?3 AND id > ?4)) ORDER BY timestamp, id LIMIT ?5";
        var statement = tag is null
            ? _allTopics[shardIndex] ??= RawSqlite.Prepare(database, $"SELECT timestamp, id FROM {_codec.IndexTable} WHERE {Range}")
            : _byTopic[shardIndex] ??= RawSqlite.Prepare(database, $"SELECT timestamp, id FROM {_codec.IndexTable} WHERE topic = ?6 AND {Range}");
        raw.sqlite3_bind_int64(statement, 1, fromMicros);
        raw.sqlite3_bind_int64(statement, 2, toMicros);
        raw.sqlite3_bind_int64(statement, 3, cursor.Timestamp);
        raw.sqlite3_bind_int64(statement, 4, cursor.Id);
        raw.sqlite3_bind_int64(statement, 5, limit);
        if (tag is not null)
        {
            raw.sqlite3_bind_int64(statement, 6, tag.Value);
        }

        var candidates = new List<(IndexPosition, int)>(Math.Min(limit, 16_384));
        try
        {
            while (RawSqlite.Step(database, statement))
            {
                candidates.Add((new IndexPosition(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1)), shardIndex));
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }

        return candidates;
    }

    // The records of the candidates, in the candidates' order.
    private T[] OpenAll(List<(IndexPosition Position, int Shard)> candidates)
    {
        var records = new T[candidates.Count];
        var byShard = new List<(long Id, int Slot)>?[_shards.Length];
        for (var slot = 0; slot < candidates.Count; slot++)
        {
            var (position, shard) = candidates[slot];
            (byShard[shard] ??= []).Add((position.Id, slot));
        }

        ShardParallel.For(_shards.Length, index =>
        {
            if (byShard[index] is { } wanted)
            {
                Open(_blocks[index], wanted, records);
            }
        });
        return records;
    }

    private void Open(BlockReader blocks, List<(long Id, int Slot)> wanted, T[] records)
    {
        // In id order every block is met in one run, so it is opened once.
        wanted.Sort((left, right) => left.Id.CompareTo(right.Id));
        blocks.Forget();
        var shard = blocks.Shard;
        RecordBlock? block = null;
        foreach (var (id, slot) in wanted)
        {
            if (block is null || id > block.LastId)
            {
                block = blocks.Find(id);
            }

            var index = block?.IndexOf(id) ?? -1;
            if (index < 0)
            {
                throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture),
                    $"its {_codec.IndexTable} row points at a record that no block holds");
            }

            try
            {
                records[slot] = _codec.Deserialize(id, shard.Database.Shard, block!.RecordAt(index), _store.Subjects);
            }
            catch (InvalidDataException ex)
            {
                throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture), ex.Message, ex);
            }
        }

        // Blocks are large; a page holds on to none of them once its records are built.
        blocks.Forget();
    }
}
