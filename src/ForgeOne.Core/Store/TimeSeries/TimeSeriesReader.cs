using System.Globalization;
using ForgeOne.Core.Store.Records;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Reads time-series records by topic and time range across every shard of their kind, in timestamp order.
/// </summary>
/// <remarks>
/// <para>The index has one row per block (<see cref="RecordBlock"/>: records of one topic in (timestamp, id) order) with
/// the block's first and last timestamp. Each page is found in two steps. First every shard, in parallel, reads the
/// rows of the blocks that may hold records after the previous page's last position, opens those blocks in order of
/// their first record, and merges their records (blocks of different batches overlap in time) until it has its
/// share of the page; the shards' lists are then merged and the first page's worth kept. Only those records are
/// deserialized, again a shard per thread. A block whose first record is before the query's start can still hold
/// records after it, so the scan starts the topic's longest block span (its span table row) before the start.
/// Filters the index cannot apply (severity, a topic whose tag collides) are applied after deserializing; when
/// they drop records, the next candidates are read until the page is full or the range is exhausted.</para>
/// <para>Holds one connection per shard until disposed; not thread-safe.</para>
/// </remarks>
/// <typeparam name="T">The record type.</typeparam>
public sealed class TimeSeriesReader<T> : IDisposable
    where T : class
{
    private static readonly Comparer<IndexPosition> PositionOrder = Comparer<IndexPosition>.Create((left, right) => left.CompareTo(right));

    private readonly ForgeStore _store;
    private readonly TimeSeriesCodec<T> _codec;
    private readonly StoreShard[] _shards;
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
            var perShard = new List<Candidate>[_shards.Length];
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

            var opened = Deserialize(merged);
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
            _shards[index].Dispose();
        }
    }

    // Each shard's list is already in (timestamp, id) order: a k-way merge keeps the first page's worth
    // without sorting every candidate of every shard.
    private static List<Candidate> Merge(List<Candidate>[] perShard, int limit, IndexPosition? bound)
    {
        var merged = new List<Candidate>(Math.Min(limit, perShard.Sum(list => list.Count)));
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

    // The shard's first records after the cursor, in (timestamp, id) order: blocks are opened in the order of their
    // first record, and a record is taken only once no unopened block can start before it.
    private List<Candidate> Candidates(int shardIndex, long? tag, long fromMicros, long toMicros, IndexPosition cursor, int limit)
    {
        var candidates = new List<Candidate>(Math.Min(limit, 16_384));
        var shard = _shards[shardIndex];
        if (TopicSpans.Read(shard, null, _codec.SpanTable, tag) is not { } span)
        {
            return candidates;
        }

        var start = Math.Max(fromMicros, cursor.Timestamp);
        var database = shard.Connection.Handle!;
        const string Range = "i.timestamp >= ?1 AND i.timestamp < ?2 AND i.last_timestamp >= ?3 ORDER BY i.timestamp, i.id";
        // A left join, so that an index row whose block is gone is reported rather than skipped.
        var join = $"SELECT i.timestamp, i.id, v.value FROM {_codec.IndexTable} i LEFT JOIN {_codec.ValueTable} v ON v.id = i.id WHERE";
        var statement = tag is null
            ? _allTopics[shardIndex] ??= RawSqlite.Prepare(database, $"{join} {Range}")
            : _byTopic[shardIndex] ??= RawSqlite.Prepare(database, $"{join} i.topic = ?4 AND {Range}");
        raw.sqlite3_bind_int64(statement, 1, start < long.MinValue + span ? long.MinValue : start - span);
        raw.sqlite3_bind_int64(statement, 2, toMicros);
        raw.sqlite3_bind_int64(statement, 3, start);
        if (tag is not null)
        {
            raw.sqlite3_bind_int64(statement, 4, tag.Value);
        }

        var open = new PriorityQueue<(RecordBlock Block, int Index), IndexPosition>(PositionOrder);
        try
        {
            var more = RawSqlite.Step(database, statement);
            while (candidates.Count < limit)
            {
                // A block whose first record comes before the best record so far may hold better ones.
                while (more)
                {
                    var key = raw.sqlite3_column_int64(statement, 1);
                    if (open.TryPeek(out _, out var best) && new IndexPosition(raw.sqlite3_column_int64(statement, 0), key).CompareTo(best) > 0)
                    {
                        break;
                    }

                    if (raw.sqlite3_column_type(statement, 2) == raw.SQLITE_NULL)
                    {
                        throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, "block " + key.ToString(CultureInfo.InvariantCulture),
                            $"its {_codec.IndexTable} row points at a block that is not there");
                    }

                    var block = RecordBlock.Open(shard, _codec.ValueTable, key, raw.sqlite3_column_blob(statement, 2));
                    Enqueue(open, block, First(block, fromMicros, cursor), toMicros);
                    more = RawSqlite.Step(database, statement);
                }

                if (!open.TryDequeue(out var entry, out var position))
                {
                    break;
                }

                candidates.Add(new Candidate(position, shardIndex, entry.Block, entry.Index));
                Enqueue(open, entry.Block, entry.Index + 1, toMicros);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }

        return candidates;
    }

    // The index of the block's first record at or after the query's start and after the cursor.
    private static int First(RecordBlock block, long fromMicros, IndexPosition cursor)
    {
        var index = 0;
        while (index < block.Count)
        {
            var timestamp = block.TimestampAt(index);
            if (timestamp >= fromMicros && new IndexPosition(timestamp, block.IdAt(index)).CompareTo(cursor) > 0)
            {
                break;
            }

            index++;
        }

        return index;
    }

    private static void Enqueue(PriorityQueue<(RecordBlock Block, int Index), IndexPosition> open, RecordBlock block, int index, long toMicros)
    {
        if (index < block.Count && block.TimestampAt(index) is var timestamp && timestamp < toMicros)
        {
            open.Enqueue((block, index), new IndexPosition(timestamp, block.IdAt(index)));
        }
    }

    // The records of the candidates, in the candidates' order, deserialized a shard per thread.
    private T[] Deserialize(List<Candidate> candidates)
    {
        var records = new T[candidates.Count];
        var byShard = new List<int>?[_shards.Length];
        for (var slot = 0; slot < candidates.Count; slot++)
        {
            (byShard[candidates[slot].Shard] ??= []).Add(slot);
        }

        ShardParallel.For(_shards.Length, index =>
        {
            if (byShard[index] is not { } slots)
            {
                return;
            }

            var shard = _shards[index];
            foreach (var slot in slots)
            {
                var (position, _, block, at) = candidates[slot];
                try
                {
                    records[slot] = _codec.Deserialize(position.Id, shard.Database.Shard, block.RecordAt(at), _store.Subjects);
                }
                catch (InvalidDataException ex)
                {
                    throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, position.Id.ToString(CultureInfo.InvariantCulture), ex.Message, ex);
                }
            }
        });
        return records;
    }

    // A record found for a page: where it sorts, which shard and block hold it, and its place in the block.
    private readonly record struct Candidate(IndexPosition Position, int Shard, RecordBlock Block, int Index);
}
