namespace ForgeOne.Core.Store.Backup;

/// <summary>One database put back into a store.</summary>
public sealed record RestoredDatabase
{
    /// <summary>Its file name.</summary>
    public required string Database { get; init; }

    /// <summary>Its logical DNA, checked against the backup's record before it took the name.</summary>
    public required string LogicalDna { get; init; }

    /// <summary>Its size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>Where the file it replaced was kept (a dated name beside it); null when there was none.</summary>
    public string? PreviousVersion { get; init; }
}
