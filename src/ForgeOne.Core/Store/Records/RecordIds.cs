namespace ForgeOne.Core.Store.Records;

/// <summary>
/// Allocates time-ordered record ids: <c>unixMilliseconds &lt;&lt; 20 | sequence &lt;&lt; 4 | shard</c>.
/// Ids of one shard only ever grow; the shard number in the low 4 bits makes them unique across shards.
/// </summary>
/// <remarks>
/// <para>The allocator is seeded, inside the write transaction, with the largest id already in the table, so two
/// processes writing the same shard (SQLite serializes their transactions) never hand out the same id.
/// 65,536 ids per millisecond per shard; beyond that ids borrow from the next millisecond, which keeps them
/// unique and ordered.</para>
/// </remarks>
public sealed class RecordIds
{
    private readonly int _shard;
    private readonly TimeProvider _clock;
    private long _last;

    /// <summary>Creates an allocator for shard <paramref name="shard"/>.</summary>
    /// <param name="shard">0 to 15.</param>
    /// <param name="clock">The clock; null for the system clock.</param>
    public RecordIds(int shard, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, StoreLayout.MaximumShards - 1);
        _shard = shard;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The shard number encoded in an id.</summary>
    /// <param name="id">A record id.</param>
    /// <returns>0 to 15.</returns>
    public static int ShardOf(long id) => (int)(id & 0xF);

    /// <summary>The approximate time an id was allocated.</summary>
    /// <param name="id">A record id.</param>
    /// <returns>The time, to the millisecond.</returns>
    public static DateTimeOffset TimeOf(long id) => DateTimeOffset.FromUnixTimeMilliseconds(id >> 20);

    /// <summary>Makes sure later ids exceed <paramref name="largestExisting"/>; call at the start of each write transaction.</summary>
    /// <param name="largestExisting">The largest id in the table, or 0.</param>
    public void Seed(long largestExisting) => _last = Math.Max(_last, largestExisting);

    /// <summary>The next id.</summary>
    /// <returns>An id larger than every id handed out or seeded before.</returns>
    public long Next()
    {
        var fromClock = (_clock.GetUtcNow().ToUnixTimeMilliseconds() << 20) | (long)_shard;
        _last = Math.Max(fromClock, _last == 0 ? 0 : _last + 16);
        return _last;
    }
}
