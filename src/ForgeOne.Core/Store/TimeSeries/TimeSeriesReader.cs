using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Threading;
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

    // The blocks each shard opened for the current round, in pooled buffers returned once the round's records are built.
    private readonly List<RecordBlock>[] _opened;

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
        _opened = [.. _shards.Select(_ => new List<RecordBlock>())];
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
        // Sized so that a page of up to 10,000 never grows into the large object heap, whose churn forces full
        // collections (measured: a gen2 collection every other query before the page's arrays were kept under it).
        var items = new List<T>(Math.Min(pageSize, 10_000));

        while (items.Count < pageSize)
        {
            var need = pageSize - items.Count;
            // Records are spread over shards by a hash, so each shard is asked for its share and a margin rather than
            // the whole page. A shard that filled its share may hold more: the merge is final only up to the
            // smallest last position among such shards, and the next round continues from there.
            var limit = _shards.Length == 1 ? need : Math.Min(need, (need / _shards.Length) + (need / (8 * _shards.Length)) + 64);
            MergedPage merged;
            T[] records;
            try
            {
                var perShard = new List<Candidate>[_shards.Length];
                ParallelWork.For(_shards.Length, index => perShard[index] = Candidates(index, tag, fromMicros, toMicros, cursor, limit));
                IndexPosition? bound = null;
                foreach (var list in perShard)
                {
                    if (list.Count == limit && (bound is null || list[^1].Position.CompareTo(bound.Value) < 0))
                    {
                        bound = list[^1].Position;
                    }
                }

                merged = Merge(perShard, need, bound);
                records = Deserialize(perShard, merged);
            }
            finally
            {
                ReleaseOpened();
            }

            if (merged.Count == 0)
            {
                return new StorePage<T>(items, null);
            }

            foreach (var record in records)
            {
                if ((topic is null || _codec.TopicOf(record) == topic) && (filter is null || filter(record)))
                {
                    items.Add(record);
                }
            }

            cursor = merged.Last;
            if (!merged.Bounded && merged.Count < need)
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

    // The round's records are built: its blocks' plaintext is cleared and goes back to the pool.
    private void ReleaseOpened()
    {
        foreach (var blocks in _opened)
        {
            foreach (var block in blocks)
            {
                block.Release();
            }

            blocks.Clear();
        }
    }

    // Each shard's list is already in (timestamp, id) order: a k-way merge takes the first page's worth without
    // sorting every candidate of every shard, and says which of each shard's candidates went where in the page
    // rather than building a merged list.
    private static MergedPage Merge(List<Candidate>[] perShard, int limit, IndexPosition? bound)
    {
        var taken = new int[perShard.Length];
        var slots = new int[perShard.Length][];
        for (var shard = 0; shard < perShard.Length; shard++)
        {
            slots[shard] = new int[perShard[shard].Count];
        }

        var count = 0;
        var last = default(IndexPosition);
        while (count < limit)
        {
            var best = -1;
            var bestPosition = default(IndexPosition);
            for (var shard = 0; shard < perShard.Length; shard++)
            {
                if (taken[shard] < perShard[shard].Count
                    && perShard[shard][taken[shard]].Position is var position
                    && (best < 0 || position.CompareTo(bestPosition) < 0))
                {
                    best = shard;
                    bestPosition = position;
                }
            }

            if (best < 0 || (bound is { } end && bestPosition.CompareTo(end) > 0))
            {
                break;
            }

            slots[best][taken[best]++] = count++;
            last = bestPosition;
        }

        return new MergedPage(count, last, taken, slots, bound is not null);
    }

    // The shard's first records after the cursor, in (timestamp, id) order: blocks are opened in the order of their
    // first record, and a record is taken only once no unopened block can start before it.
    private List<Candidate> Candidates(int shardIndex, long? tag, long fromMicros, long toMicros, IndexPosition cursor, int limit)
    {
        var candidates = new List<Candidate>(Math.Min(limit, 16_384));
        var shard = _shards[shardIndex];
        var opened = _opened[shardIndex];
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
                        throw RecordBlock.Missing(shard, _codec.ValueTable, _codec.IndexTable, key);
                    }

                    var block = RecordBlock.OpenRented(shard, _codec.ValueTable, key, raw.sqlite3_column_blob(statement, 2));
                    opened.Add(block);
                    Enqueue(open, block, First(block, fromMicros, cursor), toMicros);
                    more = RawSqlite.Step(database, statement);
                }

                if (!open.TryDequeue(out var entry, out _))
                {
                    break;
                }

                candidates.Add(new Candidate(entry.Block, entry.Index));
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

    // The records of the page, in page order, deserialized a shard per thread.
    private T[] Deserialize(List<Candidate>[] perShard, MergedPage page)
    {
        var records = new T[page.Count];
        ParallelWork.For(_shards.Length, index =>
        {
            var shard = _shards[index];
            var candidates = perShard[index];
            var slots = page.Slots[index];
            for (var at = 0; at < page.Taken[index]; at++)
            {
                var (block, place) = candidates[at];
                records[slots[at]] = _codec.ReadFrom(shard, block, place, _store.Subjects);
            }
        });
        return records;
    }

    // A record found for a page: the block that holds it and its place in the block. Kept to 16 bytes, with the
    // position read from the block, so that a shard's list stays under the large object heap's threshold for pages
    // of up to 10,000.
    private readonly record struct Candidate(RecordBlock Block, int Index)
    {
        public IndexPosition Position => new(Block.TimestampAt(Index), Block.IdAt(Index));
    }

    // The merge of the shards' candidates: how many records the page takes, the last one's position, how many of each
    // shard's candidates it takes and the page slot of each, and whether a shard that filled its share bounded it.
    private sealed record MergedPage(int Count, IndexPosition Last, int[] Taken, int[][] Slots, bool Bounded);
}
