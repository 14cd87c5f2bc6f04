namespace ForgeOne.Core.Store.Statistics;

/// <summary>The size and contents of one database file of a store (<see cref="StoreStatistics.Databases"/>).</summary>
/// <remarks>
/// <see cref="EstimatedPlaintextBytes"/> and <see cref="CompressionRatio"/> are estimates: up to 500 records of the
/// file, spread evenly over its tables and ids, are opened and the ratio of their plaintext to their sealed size is
/// applied to the whole file.
/// </remarks>
public sealed record StoreDatabaseStatistics
{
    /// <summary>The file name, for example <c>logs_shard_0.redb</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The kind of database.</summary>
    public required StoreDatabaseKind Kind { get; init; }

    /// <summary>The shard number; 0 for the system database.</summary>
    public required int Shard { get; init; }

    /// <summary>
    /// Records of the file: log entries or events (rows of their index, as their values are blocks of many records),
    /// blobs, or for <c>system.redb</c> snapshots, metrics and settings together.
    /// </summary>
    public required long Records { get; init; }

    /// <summary>Bytes on disk: the database file and its write-ahead log (<c>-wal</c>).</summary>
    public required long FileBytes { get; init; }

    /// <summary>Bytes of sealed (compressed and encrypted) values in all the file's record tables.</summary>
    public required long SealedBytes { get; init; }

    /// <summary>Estimated bytes of those values before compression and sealing.</summary>
    public required long EstimatedPlaintextBytes { get; init; }

    /// <summary>Estimated plaintext bytes per sealed byte (above 1 means compression saves space); 0 for an empty file.</summary>
    public required double CompressionRatio { get; init; }

    /// <summary>How many records were opened for the estimate (for log entries and events, the records of the blocks opened).</summary>
    public required int SampledRecords { get; init; }

    /// <summary>The key epochs the file's records are sealed under, lowest first.</summary>
    public required IReadOnlyList<int> Epochs { get; init; }

    /// <summary>True when the file has a trained compression dictionary.</summary>
    public required bool HasDictionary { get; init; }
}
