using System.Globalization;
using System.Text;
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
/// kept. Only then are those records fetched and opened, again a shard per thread. So a page costs about one
/// page of decryption however many shards there are. Filters the index cannot apply (severity, a topic whose
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

    /// <summary>Opens every shard of the codec's kind.</summary>
    /// <param name="store">The store.</param>
    /// <param name="codec">The record kind.</param>
    public TimeSeriesReader(ForgeStore store, TimeSeriesCodec<T> codec)
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
            var perShard = new List<(IndexPosition Position, int Shard)>[_shards.Length];
            Parallel.For(0, _shards.Length, index => perShard[index] = Candidates(index, tag, fromMicros, toMicros, cursor, need));
            var merged = Merge(perShard, need);
            if (merged.Count == 0)
            {
                return new StorePage<T>(items, null);
            }

            var opened = OpenAll(merged);
            foreach (var candidate in merged)
            {
                var record = opened[candidate.Position.Id];
                if ((topic is null || _codec.TopicOf(record) == topic) && (filter is null || filter(record)))
                {
                    items.Add(record);
                }
            }

            cursor = merged[^1].Position;
            var exhausted = merged.Count < need && perShard.All(list => list.Count < need);
            if (exhausted)
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
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    // Each shard's list is already in (timestamp, id) order: a k-way merge keeps the first page's worth
    // without sorting every candidate of every shard.
    private static List<(IndexPosition Position, int Shard)> Merge(List<(IndexPosition Position, int Shard)>[] perShard, int limit)
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

            if (best < 0)
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
        var sql = new StringBuilder("SELECT timestamp, id FROM ").Append(_codec.IndexTable).Append(" WHERE ");
        if (tag is not null)
        {
            sql.Append("topic = ?6 AND ");
        }

        sql.Append("timestamp >= ?1 AND timestamp < ?2 AND (timestamp > ?3 OR (timestamp = ?3 AND id > ?4)) ORDER BY timestamp, id LIMIT ?5");
        using var statement = Prepare(database, sql.ToString());
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
        while (Step(database, statement))
        {
            candidates.Add((new IndexPosition(raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1)), shardIndex));
        }

        return candidates;
    }

    private Dictionary<long, T> OpenAll(List<(IndexPosition Position, int Shard)> candidates)
    {
        var byShard = candidates.GroupBy(candidate => candidate.Shard).ToArray();
        var opened = new Dictionary<long, T>[byShard.Length];
        Parallel.For(0, byShard.Length, index =>
        {
            var group = byShard[index];
            opened[index] = Open(_shards[group.Key], group.Select(candidate => candidate.Position.Id).ToList());
        });
        return opened.SelectMany(map => map).ToDictionary(pair => pair.Key, pair => pair.Value);
    }

    private Dictionary<long, T> Open(StoreShard shard, List<long> ids)
    {
        var records = new Dictionary<long, T>(ids.Count);

        // One prepared point lookup per id, reading the value in place: cheaper than IN lists of literals
        // through ADO.NET, which parsed a new statement per 500 ids and copied every value into a new array.
        var database = shard.Connection.Handle!;
        using var select = Prepare(database, $"SELECT value FROM {_codec.ValueTable} WHERE id = ?1");
        foreach (var id in ids)
        {
            raw.sqlite3_bind_int64(select, 1, id);
            try
            {
                if (!Step(database, select))
                {
                    continue;
                }

                var key = RecordFormat.Key(id);
                var plaintext = shard.Cipher.Open(_codec.ValueTable, key, raw.sqlite3_column_blob(select, 0), id.ToString(CultureInfo.InvariantCulture));
                try
                {
                    records[id] = _codec.Deserialize(id, shard.Database.Shard, plaintext, _store.Subjects);
                }
                catch (InvalidDataException ex)
                {
                    throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture), ex.Message, ex);
                }
            }
            finally
            {
                raw.sqlite3_reset(select);
            }
        }

        foreach (var id in ids)
        {
            if (!records.ContainsKey(id))
            {
                throw new RecordIntegrityException(shard.Database.FileName, _codec.ValueTable, id.ToString(CultureInfo.InvariantCulture),
                    $"its {_codec.IndexTable} row points at a record that is not there");
            }
        }

        return records;
    }

    private static sqlite3_stmt Prepare(sqlite3 database, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(database, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return statement;
    }

    // True for a row, false when done; throws on an error.
    private static bool Step(sqlite3 database, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }

        return false;
    }
}
