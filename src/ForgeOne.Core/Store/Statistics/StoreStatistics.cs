namespace ForgeOne.Core.Store.Statistics;

/// <summary>
/// What a store holds and how big it is: its identity, its keys, and per database file the records, bytes on disk,
/// sealed bytes and an estimate of the plaintext size (<see cref="StoreDatabaseStatistics"/>).
/// </summary>
public sealed record StoreStatistics
{
    /// <summary>The store's folder, as a full path.</summary>
    public required string Path { get; init; }

    /// <summary>The store's random id, 32 hex digits.</summary>
    public required string Id { get; init; }

    /// <summary>The region set at creation.</summary>
    public required string Region { get; init; }

    /// <summary>When the store was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The key epoch new records are sealed under.</summary>
    public required int CurrentEpoch { get; init; }

    /// <summary>Number of log shards.</summary>
    public required int LogShards { get; init; }

    /// <summary>Number of blob shards.</summary>
    public required int BlobShards { get; init; }

    /// <summary>Number of event shards.</summary>
    public required int EventShards { get; init; }

    /// <summary>Every database file: system first, then logs, blobs and events by shard.</summary>
    public required IReadOnlyList<StoreDatabaseStatistics> Databases { get; init; }

    /// <summary>Log entries in all log shards.</summary>
    public long LogEntries => Databases.Where(database => database.Kind == StoreDatabaseKind.Logs).Sum(database => database.Records);

    /// <summary>Records in all files (<see cref="StoreDatabaseStatistics.Records"/> summed).</summary>
    public long Records => Databases.Sum(database => database.Records);

    /// <summary>Bytes on disk of all database files and their write-ahead logs.</summary>
    public long FileBytes => Databases.Sum(database => database.FileBytes);

    /// <summary>Sealed value bytes in all files.</summary>
    public long SealedBytes => Databases.Sum(database => database.SealedBytes);

    /// <summary>Estimated plaintext bytes in all files (see <see cref="StoreDatabaseStatistics"/>).</summary>
    public long EstimatedPlaintextBytes => Databases.Sum(database => database.EstimatedPlaintextBytes);

    /// <summary>Estimated plaintext bytes per sealed byte over the whole store; 0 for an empty store.</summary>
    public double CompressionRatio => SealedBytes == 0 ? 0 : (double)EstimatedPlaintextBytes / SealedBytes;

    /// <summary>The key epochs any record is sealed under, lowest first.</summary>
    public IReadOnlyList<int> Epochs => [.. Databases.SelectMany(database => database.Epochs).Distinct().Order()];
}
