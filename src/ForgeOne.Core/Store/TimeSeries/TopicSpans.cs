using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// A writer's view of a shard's span table (<c>log_spans</c>, <c>event_spans</c>): per topic tag, the longest time a
/// block of the topic covers, which only grows. Readers start their index scan that far before a query's start.
/// </summary>
/// <remarks>
/// Each tag's span is read once and the row written only when a block exceeds it, so a steady writer touches the
/// table a few times per topic. The cache must never be ahead of the table: <see cref="Clear"/> it when a write
/// transaction rolls back. Other writers only raise the table's values, so a cached value that is behind costs at
/// most a redundant write.
/// </remarks>
internal sealed class TopicSpans
{
    private readonly Dictionary<long, long> _known = [];

    /// <summary>Records that a block of <paramref name="tag"/> spans <paramref name="span"/>, inside the block's transaction.</summary>
    /// <param name="shard">The shard written.</param>
    /// <param name="transaction">Its open write transaction.</param>
    /// <param name="table">The span table.</param>
    /// <param name="tag">The topic tag.</param>
    /// <param name="span">Last minus first timestamp of the block, in microseconds.</param>
    public void Widen(StoreShard shard, SqliteTransaction transaction, string table, long tag, long span)
    {
        if (!_known.TryGetValue(tag, out var known))
        {
            known = Read(shard, transaction, table, tag) ?? -1;
            _known[tag] = known;
        }

        if (span <= known)
        {
            return;
        }

        using var upsert = shard.Connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = $"INSERT INTO {table} (topic, span) VALUES ($topic, $span) ON CONFLICT (topic) DO UPDATE SET span = max(span, excluded.span)";
        upsert.Parameters.AddWithValue("$topic", tag);
        upsert.Parameters.AddWithValue("$span", span);
        upsert.ExecuteNonQuery();
        _known[tag] = span;
    }

    /// <summary>Forgets every cached span, after a rollback undid some of the writes behind them.</summary>
    public void Clear() => _known.Clear();

    /// <summary>The span recorded for a tag, or null when the topic has no block in the shard.</summary>
    /// <param name="shard">The shard.</param>
    /// <param name="transaction">An open transaction, or null.</param>
    /// <param name="table">The span table.</param>
    /// <param name="tag">The topic tag, or null for the longest span of any topic.</param>
    /// <returns>Microseconds, or null.</returns>
    public static long? Read(StoreShard shard, SqliteTransaction? transaction, string table, long? tag)
    {
        using var select = shard.Connection.CreateCommand();
        select.Transaction = transaction;
        if (tag is null)
        {
            select.CommandText = $"SELECT max(span) FROM {table}";
        }
        else
        {
            select.CommandText = $"SELECT span FROM {table} WHERE topic = $topic";
            select.Parameters.AddWithValue("$topic", tag.Value);
        }

        return select.ExecuteScalar() is long span ? span : null;
    }
}
