namespace ForgeOne.Core.Store.Events;

/// <summary>A topic that has events, with its totals across shards.</summary>
public sealed record EventTopic
{
    /// <summary>The topic's name.</summary>
    public required string Name { get; init; }

    /// <summary>When its first event was written (UTC).</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The earliest event timestamp.</summary>
    public DateTimeOffset FirstTimestamp { get; init; }

    /// <summary>The latest event timestamp.</summary>
    public DateTimeOffset LastTimestamp { get; init; }

    /// <summary>How many events have been written to it.</summary>
    public long Count { get; init; }
}
