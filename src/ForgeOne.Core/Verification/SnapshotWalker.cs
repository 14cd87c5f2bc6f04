using System.Runtime.CompilerServices;
using ForgeOne.Core.Backup;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Verification;

/// <summary>
/// Every entry of a snapshot's tree with its '/'-separated path, folders before their contents; a listing that cannot
/// be read is reported to the caller and its subtree skipped, so a check goes on past damage.
/// </summary>
internal static class SnapshotWalker
{
    /// <param name="repository">Where the trees are.</param>
    /// <param name="treeId">The root tree.</param>
    /// <param name="unreadable">Told the tree id, its path ('/' for the root) and the failure of each listing that cannot be read.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <param name="prefix">The path of <paramref name="treeId"/>; empty for the root.</param>
    internal static async IAsyncEnumerable<(string Path, TreeNode Node)> WalkAsync(
        Repository.Repository repository, string treeId, Action<string, string, ForgeException> unreadable,
        [EnumeratorCancellation] CancellationToken cancellationToken, string prefix = "")
    {
        Tree tree;
        try
        {
            tree = await BackupRunner.LoadTreeAsync(repository, treeId, cancellationToken).ConfigureAwait(false);
        }
        catch (ForgeException ex)
        {
            unreadable(treeId, prefix.Length == 0 ? "/" : prefix, ex);
            yield break;
        }

        foreach (var node in tree.Nodes)
        {
            var path = prefix.Length == 0 ? node.Name : prefix + "/" + node.Name;
            yield return (path, node);
            if (node is { Type: NodeType.Directory, Subtree: { } subtree })
            {
                await foreach (var entry in WalkAsync(repository, subtree, unreadable, cancellationToken, path).ConfigureAwait(false))
                {
                    yield return entry;
                }
            }
        }
    }
}
