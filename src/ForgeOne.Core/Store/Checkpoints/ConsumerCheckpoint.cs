namespace ForgeOne.Core.Store.Checkpoints;

/// <summary>
/// How far a consumer has read: for each shard, the largest record id it has consumed there. Reading after a
/// checkpoint returns the records of each shard with larger ids, which are exactly those written since, because a
/// shard's ids only grow in the order its writes commit.
/// </summary>
public sealed record ConsumerCheckpoint
{
    /// <summary>The consumer's name.</summary>
    public required string Consumer { get; init; }

    /// <summary>Shard number to the largest id consumed in it; a shard not listed has nothing consumed.</summary>
    public required IReadOnlyDictionary<int, long> Positions { get; init; }

    /// <summary>When the checkpoint last moved (UTC).</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>The largest id consumed in <paramref name="shard"/>, or 0.</summary>
    /// <param name="shard">The shard number.</param>
    /// <returns>The position.</returns>
    public long PositionOf(int shard) => Positions.TryGetValue(shard, out var id) ? id : 0;
}
