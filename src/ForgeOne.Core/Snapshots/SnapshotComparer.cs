using System.Runtime.CompilerServices;

namespace ForgeOne.Core.Snapshots;

/// <summary>Compares two snapshots by their root trees, loading only the directories that differ.</summary>
/// <remarks>
/// <para>
/// Equal tree ids mean equal directories (trees are canonical, see <see cref="Tree"/>), so a subtree whose id is
/// the same on both sides is skipped without being loaded: comparing two backups of a large, mostly unchanged
/// folder loads only the directories on the paths to what changed.
/// </para>
/// <para>
/// Entries are matched by name. An added or removed directory is reported, then every entry under it (those trees
/// are loaded). An entry that changed type is reported as <see cref="ChangeKind.TypeChanged"/>; if either side is a
/// directory, the entries under it are reported as removed or added. A directory whose own metadata changed is
/// reported as <see cref="ChangeKind.MetadataChanged"/> before its entries.
/// </para>
/// </remarks>
public static class SnapshotComparer
{
    /// <summary>Compares two trees and collects every difference.</summary>
    /// <param name="oldTreeId">The older snapshot's root tree id.</param>
    /// <param name="newTreeId">The newer snapshot's root tree id.</param>
    /// <param name="loadTree">Loads a tree blob by id.</param>
    /// <param name="cancellationToken">Stops the comparison.</param>
    /// <returns>The differences and their counts.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Whatever <paramref name="loadTree"/> throws (a missing or damaged tree) propagates unchanged.</remarks>
    public static async Task<SnapshotDiff> CompareAsync(
        string oldTreeId,
        string newTreeId,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        CancellationToken cancellationToken = default)
    {
        var differences = new List<SnapshotDifference>();
        await foreach (var difference in EnumerateDifferencesAsync(oldTreeId, newTreeId, loadTree, cancellationToken)
            .ConfigureAwait(false))
        {
            differences.Add(difference);
        }

        return new SnapshotDiff(differences);
    }

    /// <summary>Compares two trees, yielding each difference as it is found.</summary>
    /// <param name="oldTreeId">The older snapshot's root tree id.</param>
    /// <param name="newTreeId">The newer snapshot's root tree id.</param>
    /// <param name="loadTree">Loads a tree blob by id.</param>
    /// <param name="cancellationToken">Stops the comparison.</param>
    /// <returns>The differences: parents before their entries, entries of a directory in name order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IAsyncEnumerable<SnapshotDifference> EnumerateDifferencesAsync(
        string oldTreeId,
        string newTreeId,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        CancellationToken cancellationToken = default)
    {
        // Checked here, not in the iterator, so a bad call fails at once rather than on the first MoveNextAsync.
        ArgumentNullException.ThrowIfNull(oldTreeId);
        ArgumentNullException.ThrowIfNull(newTreeId);
        ArgumentNullException.ThrowIfNull(loadTree);
        return CompareRootsAsync(oldTreeId, newTreeId, loadTree, cancellationToken);
    }

    private static async IAsyncEnumerable<SnapshotDifference> CompareRootsAsync(
        string oldTreeId,
        string newTreeId,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (string.Equals(oldTreeId, newTreeId, StringComparison.Ordinal))
        {
            yield break;
        }

        await foreach (var difference in CompareTreesAsync(oldTreeId, newTreeId, "", loadTree, cancellationToken)
            .ConfigureAwait(false))
        {
            yield return difference;
        }
    }

    private static async IAsyncEnumerable<SnapshotDifference> CompareTreesAsync(
        string oldTreeId,
        string newTreeId,
        string prefix,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var oldNodes = (await loadTree(oldTreeId, cancellationToken).ConfigureAwait(false)).Nodes;
        var newNodes = (await loadTree(newTreeId, cancellationToken).ConfigureAwait(false)).Nodes;

        // Both lists are sorted by name in the same order, so one merge pass pairs them up.
        int i = 0, j = 0;
        while (i < oldNodes.Count || j < newNodes.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var order = i == oldNodes.Count ? 1
                : j == newNodes.Count ? -1
                : Utf8Ordinal.Instance.Compare(oldNodes[i].Name, newNodes[j].Name);
            var oldNode = order <= 0 ? oldNodes[i++] : null;
            var newNode = order >= 0 ? newNodes[j++] : null;
            var path = prefix + (oldNode ?? newNode)!.Name;

            var (change, descend) = Classify(oldNode, newNode);
            if (change is { } kind)
            {
                yield return new SnapshotDifference(path, kind, oldNode?.Type, newNode?.Type, oldNode?.Size, newNode?.Size);
            }

            var oldSubtree = oldNode?.Subtree;
            var newSubtree = newNode?.Subtree;
            if (!descend || string.Equals(oldSubtree, newSubtree, StringComparison.Ordinal))
            {
                continue;
            }

            var entries = oldSubtree is null ? ListAsync(newSubtree!, path + "/", ChangeKind.Added, loadTree, cancellationToken)
                : newSubtree is null ? ListAsync(oldSubtree, path + "/", ChangeKind.Removed, loadTree, cancellationToken)
                : CompareTreesAsync(oldSubtree, newSubtree, path + "/", loadTree, cancellationToken);
            await foreach (var difference in entries.ConfigureAwait(false))
            {
                yield return difference;
            }
        }
    }

    // The change to report for one name (if any), and whether a directory on either side needs a look inside.
    private static (ChangeKind? Change, bool Descend) Classify(TreeNode? oldNode, TreeNode? newNode)
    {
        if (oldNode is null)
        {
            return (ChangeKind.Added, true);
        }

        if (newNode is null)
        {
            return (ChangeKind.Removed, true);
        }

        if (oldNode.Type != newNode.Type)
        {
            return (ChangeKind.TypeChanged, true);
        }

        var dataChanged = oldNode.Type switch
        {
            NodeType.File => oldNode.Size != newNode.Size
                || !string.Equals(oldNode.ContentHash, newNode.ContentHash, StringComparison.Ordinal),
            NodeType.Symlink => !string.Equals(oldNode.LinkTarget, newNode.LinkTarget, StringComparison.Ordinal),
            _ => false,
        };
        if (dataChanged)
        {
            return (ChangeKind.Modified, false);
        }

        var metadataChanged = oldNode.Mode != newNode.Mode
            || oldNode.Uid != newNode.Uid
            || oldNode.Gid != newNode.Gid
            || !string.Equals(oldNode.UserName, newNode.UserName, StringComparison.Ordinal)
            || !string.Equals(oldNode.GroupName, newNode.GroupName, StringComparison.Ordinal)
            || oldNode.ModifiedTime != newNode.ModifiedTime;
        return (metadataChanged ? ChangeKind.MetadataChanged : null, oldNode.Type == NodeType.Directory);
    }

    // Everything under a directory that exists on one side only.
    private static async IAsyncEnumerable<SnapshotDifference> ListAsync(
        string treeId,
        string prefix,
        ChangeKind change,
        Func<string, CancellationToken, ValueTask<Tree>> loadTree,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = await loadTree(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = prefix + node.Name;
            yield return change == ChangeKind.Added
                ? new SnapshotDifference(path, change, null, node.Type, null, node.Size)
                : new SnapshotDifference(path, change, node.Type, null, node.Size, null);
            if (node.Subtree is { } subtree)
            {
                await foreach (var difference in ListAsync(subtree, path + "/", change, loadTree, cancellationToken)
                    .ConfigureAwait(false))
                {
                    yield return difference;
                }
            }
        }
    }
}
