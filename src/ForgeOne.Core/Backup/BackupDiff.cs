using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Backup;

/// <summary>Compares two snapshots of a repository by id, prefix or <c>latest</c>.</summary>
public static class BackupDiff
{
    /// <summary>Paths added, removed and changed from <paramref name="first"/> to <paramref name="second"/>.</summary>
    public static async Task<SnapshotDiff> CompareAsync(Repository.Repository repository, string first, string second, CancellationToken cancellationToken)
    {
        var older = await SnapshotStore.LoadAsync(repository, first, cancellationToken).ConfigureAwait(false);
        var newer = await SnapshotStore.LoadAsync(repository, second, cancellationToken).ConfigureAwait(false);
        return await SnapshotComparer.CompareAsync(older.Tree, newer.Tree, (id, ct) => BackupRunner.LoadTreeAsync(repository, id, ct), cancellationToken).ConfigureAwait(false);
    }
}
