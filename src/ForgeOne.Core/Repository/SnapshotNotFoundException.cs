namespace ForgeOne.Core.Repository;

/// <summary>No snapshot in the repository has the given id, or an id starting with the given prefix.</summary>
/// <remarks>A prefix that matches several snapshots is a usage error and throws <see cref="ArgumentException"/>
/// listing the candidates instead.</remarks>
public sealed class SnapshotNotFoundException : RepositoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The backend's location.</param>
    /// <param name="idOrPrefix">The id or prefix that matched nothing.</param>
    /// <param name="innerException">The failure that revealed the absence (for example a snapshot deleted since it
    /// was listed), if any.</param>
    public SnapshotNotFoundException(string location, string idOrPrefix, Exception? innerException = null)
        : base(location,
            $"No snapshot in '{location}' has an id starting with '{idOrPrefix}'. List the snapshots with " +
            "Get-ForgeBackup (forge backup list) and use one of their ids.",
            innerException)
    {
        IdOrPrefix = idOrPrefix;
    }

    /// <summary>The id or prefix that matched no snapshot.</summary>
    public string IdOrPrefix { get; }
}
