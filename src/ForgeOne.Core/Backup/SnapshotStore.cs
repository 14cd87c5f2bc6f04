using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Backup;

/// <summary>Snapshots of a repository as <see cref="Snapshot"/> objects: listing, loading by id or prefix, filtering.</summary>
public static class SnapshotStore
{
    /// <summary>
    /// Every readable snapshot in the repository, in no particular order. A snapshot object that fails to load
    /// (damaged, or of a newer format) is skipped and reported to <paramref name="damaged"/>, so that one bad
    /// object does not hide every other snapshot.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <param name="damaged">Receives the snapshots skipped; null to skip them silently.</param>
    /// <returns>The snapshots.</returns>
    public static async IAsyncEnumerable<Snapshot> ListAsync(Repository.Repository repository,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, ICollection<DamagedSnapshot>? damaged = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        foreach (var id in await repository.ListSnapshotIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            Snapshot snapshot;
            try
            {
                snapshot = Snapshot.FromJson(await repository.LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false), id);
            }
            catch (Repository.SnapshotNotFoundException)
            {
                continue; // Forgotten since the listing.
            }
            catch (ForgeException ex) when (ex is not Storage.StorageException)
            {
                damaged?.Add(new DamagedSnapshot(id, $"{ex.Message} Run Test-ForgeRepository (forge check) to see what else is affected."));
                continue;
            }

            yield return snapshot;
        }
    }

    /// <summary>The readable snapshots that pass <paramref name="filter"/>, oldest first.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="filter">Which snapshots; null for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <param name="damaged">Receives snapshots that could not be read; null to skip them silently.</param>
    /// <returns>The snapshots.</returns>
    public static async Task<IReadOnlyList<Snapshot>> FindAsync(Repository.Repository repository, SnapshotFilter? filter, CancellationToken cancellationToken,
        ICollection<DamagedSnapshot>? damaged = null)
    {
        List<Snapshot> all = [];
        await foreach (var snapshot in ListAsync(repository, cancellationToken, damaged).ConfigureAwait(false))
        {
            all.Add(snapshot);
        }

        var selected = filter is null ? all : filter.Apply(all);
        return [.. selected.OrderBy(s => s.Time).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The snapshot with this id, a unique prefix of it, or <c>latest</c> (the newest readable one).
    /// </summary>
    /// <exception cref="Repository.SnapshotNotFoundException">No snapshot matches.</exception>
    public static async Task<Snapshot> LoadAsync(Repository.Repository repository, string idOrPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrEmpty(idOrPrefix);
        if (string.Equals(idOrPrefix, "latest", StringComparison.OrdinalIgnoreCase))
        {
            var all = await FindAsync(repository, null, cancellationToken).ConfigureAwait(false);
            return all.Count > 0 ? all[^1] : throw new Repository.SnapshotNotFoundException(repository.Location, "latest");
        }

        var id = await repository.ResolveSnapshotIdAsync(idOrPrefix, cancellationToken).ConfigureAwait(false);
        var json = await repository.LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        return Snapshot.FromJson(json, id);
    }
}
