namespace ForgeOne.Core.Repository;

/// <summary>
/// What a repository is, without its keys: where it lives, its id and creation time, its format version, its fixed
/// chunk and pack sizes, and the key slot that opened it. Shown by New-ForgeRepository.
/// </summary>
/// <param name="Location">Where the repository is (a folder path), as its backend reports it.</param>
/// <param name="Id">The repository's random id, 64 lower-case hex digits.</param>
/// <param name="Created">When the repository was created, UTC, to the second.</param>
/// <param name="FormatVersion">The repository format version (1).</param>
/// <param name="ChunkerMinimum">Smallest chunk size in bytes, except a file's last chunk.</param>
/// <param name="ChunkerAverage">Average chunk size in bytes the chunker aims for.</param>
/// <param name="ChunkerMaximum">Largest chunk size in bytes.</param>
/// <param name="PackSize">Target pack size in bytes.</param>
/// <param name="CompressionLevel">The zstd level blobs are compressed with.</param>
/// <param name="KeySlotId">The key slot that unlocked (or was created with) the open repository.</param>
public sealed record RepositoryInfo(
    string Location,
    string Id,
    DateTimeOffset Created,
    int FormatVersion,
    int ChunkerMinimum,
    int ChunkerAverage,
    int ChunkerMaximum,
    int PackSize,
    int CompressionLevel,
    string KeySlotId)
{
    /// <summary>The first 8 digits of <see cref="Id"/>, as shown in lists.</summary>
    public string ShortId => Id[..8];

    /// <summary>Describes an open repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>Its location, config and current key slot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    public static RepositoryInfo From(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var config = repository.Config;
        return new RepositoryInfo(
            repository.Location,
            config.Id,
            config.Created,
            config.Version,
            config.Chunker.MinimumSize,
            config.Chunker.AverageSize,
            config.Chunker.MaximumSize,
            config.PackSize,
            config.CompressionLevel,
            repository.CurrentKeySlotId);
    }
}
