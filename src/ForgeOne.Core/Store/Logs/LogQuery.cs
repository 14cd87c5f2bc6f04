namespace ForgeOne.Core.Store.Logs;

/// <summary>Which log entries to read: a topic, a time range, a minimum severity and where the previous page ended.</summary>
public sealed record LogQuery
{
    /// <summary>The topic; null for every topic (which scans each shard's whole index).</summary>
    public string? Topic { get; init; }

    /// <summary>Earliest timestamp, inclusive; null for no lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest timestamp, exclusive; null for no upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Lowest severity returned; null for all.</summary>
    public LogSeverity? MinimumSeverity { get; init; }

    /// <summary>Entries per page, 1 to 100,000; default 1000.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>The <see cref="StorePage{T}.ContinuationToken"/> of the previous page; null for the first page.</summary>
    public string? After { get; init; }
}
