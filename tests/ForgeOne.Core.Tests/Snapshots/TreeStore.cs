using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

/// <summary>
/// Trees kept in memory under the hash of their serialized bytes (unkeyed here; the repository keys it), with a
/// record of every load so tests can see which subtrees a walk opened.
/// </summary>
internal sealed class TreeStore
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public List<string> Loads { get; } = [];

    public string Add(Tree tree)
    {
        var bytes = tree.Serialize();
        var id = Convert.ToHexStringLower(Blake3.Hash(bytes));
        _blobs[id] = bytes;
        return id;
    }

    public string Add(params TreeNode[] nodes) => Add(new Tree(nodes));

    /// <summary>Loads through the serialized bytes, so every load also exercises <see cref="Tree.Parse"/>.</summary>
    public ValueTask<Tree> LoadAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Loads.Add(id);
        return _blobs.TryGetValue(id, out var bytes)
            ? ValueTask.FromResult(Tree.Parse(bytes, id))
            : throw new KeyNotFoundException($"No tree {id}.");
    }
}
