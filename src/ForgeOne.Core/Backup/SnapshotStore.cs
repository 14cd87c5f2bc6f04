using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Backup;

/// <summary>Snapshots of a repository as <see cref="Snapshot"/> objects: listing, loading by id or prefix, filtering.</summary>
public static class SnapshotStore
{
    /// <summary>Every snapshot in the repository, in no particular order.</summary>
    public static async IAsyncEnumerable<Snapshot> ListAsync(Repository.Repository repository, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await foreach (var (id, json) in repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Snapshot.FromJson(json, id);
        }
    }

    /// <summary>The snapshots that pass <paramref name="filter"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<Snapshot>> FindAsync(Repository.Repository repository, SnapshotFilter? filter, CancellationToken cancellationToken)
    {
        List<Snapshot> all = [];
        await foreach (var snapshot in ListAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            all.Add(snapshot);
        }

        var selected = filter is null ? all : filter.Apply(all);
        return [.. selected.OrderBy(s => s.Time).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The snapshot with this id, a unique prefix of it, or <c>latest</c> (the newest of all).
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
