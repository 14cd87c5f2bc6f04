using SQLitePCL;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// Finds and opens the record blocks (<see cref="RecordBlock"/>) of one shard's record table, keeping the blocks it
/// opened until <see cref="Forget"/> so that records of one block cost one decryption.
/// </summary>
/// <remarks>Holds prepared statements on the shard's connection: dispose it before the shard. Not thread-safe.</remarks>
internal sealed class BlockReader : IDisposable
{
    private readonly string _table;
    private readonly sqlite3 _database;
    private readonly List<RecordBlock> _cache = [];
    private sqlite3_stmt? _containing;
    private sqlite3_stmt? _following;

    /// <summary>Reads blocks of <paramref name="table"/> in <paramref name="shard"/>.</summary>
    /// <param name="shard">The open shard.</param>
    /// <param name="table">The record table (<c>logs</c>, <c>events</c>).</param>
    public BlockReader(StoreShard shard, string table)
    {
        Shard = shard;
        _table = table;
        _database = shard.Connection.Handle!;
    }

    /// <summary>The shard read.</summary>
    public StoreShard Shard { get; }

    /// <summary>The block that holds record <paramref name="id"/>, or null when no block does.</summary>
    /// <param name="id">A record id.</param>
    /// <returns>The block, opened.</returns>
    /// <exception cref="RecordIntegrityException">The block fails to open.</exception>
    public RecordBlock? Find(long id)
    {
        var cached = Cached(id);
        if (cached is not null)
        {
            return id <= cached.LastId ? cached : Fetch(id);
        }

        return Fetch(id);
    }

    /// <summary>Record ids after <paramref name="position"/> in id order, opening blocks as needed.</summary>
    /// <param name="position">Ids up to this are skipped.</param>
    /// <param name="limit">Most ids returned.</param>
    /// <returns>The ids; their blocks stay cached.</returns>
    /// <exception cref="RecordIntegrityException">A block fails to open.</exception>
    public List<long> IdsAfter(long position, int limit)
    {
        var ids = new List<long>(Math.Min(limit, 4096));
        var first = position == long.MaxValue ? null : Find(position + 1);
        if (first is not null)
        {
            Collect(first, position, limit, ids);
        }

        if (ids.Count >= limit)
        {
            return ids;
        }

        _following ??= RawSqlite.Prepare(_database, $"SELECT id, value FROM {_table} WHERE id > ?1 ORDER BY id");
        raw.sqlite3_bind_int64(_following, 1, first?.Key ?? position);
        try
        {
            while (ids.Count < limit && RawSqlite.Step(_database, _following))
            {
                var key = raw.sqlite3_column_int64(_following, 0);
                var block = Cached(key) is { } cached && cached.Key == key
                    ? cached
                    : Remember(RecordBlock.Open(Shard, _table, key, raw.sqlite3_column_blob(_following, 1)));
                Collect(block, position, limit, ids);
            }
        }
        finally
        {
            raw.sqlite3_reset(_following);
        }

        return ids;
    }

    /// <summary>Drops the cached blocks.</summary>
    public void Forget() => _cache.Clear();

    /// <summary>Releases the prepared statements.</summary>
    public void Dispose()
    {
        _containing?.Dispose();
        _following?.Dispose();
        _cache.Clear();
    }

    private static void Collect(RecordBlock block, long position, int limit, List<long> ids)
    {
        for (var index = 0; index < block.Count && ids.Count < limit; index++)
        {
            if (block.IdAt(index) > position)
            {
                ids.Add(block.IdAt(index));
            }
        }
    }

    private RecordBlock? Fetch(long id)
    {
        _containing ??= RawSqlite.Prepare(_database, $"SELECT id, value FROM {_table} WHERE id <= ?1 ORDER BY id DESC LIMIT 1");
        raw.sqlite3_bind_int64(_containing, 1, id);
        try
        {
            if (!RawSqlite.Step(_database, _containing))
            {
                return null;
            }

            var key = raw.sqlite3_column_int64(_containing, 0);
            var block = Cached(key) is { } cached && cached.Key == key
                ? cached
                : Remember(RecordBlock.Open(Shard, _table, key, raw.sqlite3_column_blob(_containing, 1)));
            return id <= block.LastId ? block : null;
        }
        finally
        {
            raw.sqlite3_reset(_containing);
        }
    }

    // The cached block with the largest key not above id, if any.
    private RecordBlock? Cached(long id)
    {
        var low = 0;
        var high = _cache.Count - 1;
        RecordBlock? found = null;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_cache[middle].Key <= id)
            {
                found = _cache[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private RecordBlock Remember(RecordBlock block)
    {
        // Blocks are mostly opened in key order, so this is usually an append.
        var index = _cache.Count;
        while (index > 0 && _cache[index - 1].Key > block.Key)
        {
            index--;
        }

        _cache.Insert(index, block);
        return block;
    }
}
