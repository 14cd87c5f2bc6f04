using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Snapshots;

public sealed class SnapshotComparerTests
{
    private readonly TreeStore _store = new();

    private (string Old, string New, string Unchanged) BuildPair()
    {
        // big/ is the same on both sides: the comparison must not open it.
        var deep = _store.Add(Nodes.File("deep.bin", "deep"));
        var unchanged = _store.Add(Nodes.File("1", "one"), Nodes.File("2", "two"), Nodes.Directory("deep", deep));

        var oldGone = _store.Add(Nodes.File("x", "x"), Nodes.Directory("y", _store.Add(Nodes.File("z", "z"))));
        var oldDocs = _store.Add(Nodes.File("a.txt", "old"), Nodes.File("keep", "same"), Nodes.File("chmod", "c"));
        var oldRoot = _store.Add(
            Nodes.Directory("big", unchanged),
            Nodes.Directory("docs", oldDocs),
            Nodes.Directory("gone", oldGone),
            Nodes.File("was-file", "f"),
            Nodes.Symlink("link", "docs/a.txt"),
            Nodes.File("same", "s"));

        var newDocs = _store.Add(
            Nodes.File("a.txt", "new!"), Nodes.File("keep", "same"), Nodes.File("chmod", "c", mode: 0x180), Nodes.File("added", "+"));
        var newRoot = _store.Add(
            Nodes.Directory("big", unchanged),
            Nodes.Directory("docs", newDocs, mode: 0x1C0),
            Nodes.Directory("fresh", _store.Add(Nodes.Symlink("l", "t"))),
            Nodes.Directory("was-file", _store.Add(Nodes.File("inner", "i"))),
            Nodes.Symlink("link", "docs/keep"),
            Nodes.File("same", "s"));
        return (oldRoot, newRoot, unchanged);
    }

    [Fact]
    public async Task Reports_every_kind_of_change_parents_first()
    {
        var (oldRoot, newRoot, _) = BuildPair();

        var diff = await SnapshotComparer.CompareAsync(oldRoot, newRoot, _store.LoadAsync);

        Assert.Equal(
            [
                "MetadataChanged docs",
                "Modified docs/a.txt",
                "Added docs/added",
                "MetadataChanged docs/chmod",
                "Added fresh",
                "Added fresh/l",
                "Removed gone",
                "Removed gone/x",
                "Removed gone/y",
                "Removed gone/y/z",
                "Modified link",
                "TypeChanged was-file",
                "Added was-file/inner",
            ],
            diff.Differences.Select(d => $"{d.Change} {d.Path}"));
        Assert.Equal((4, 4, 2, 1, 2), (diff.Added, diff.Removed, diff.Modified, diff.TypeChanged, diff.MetadataChanged));
    }

    [Fact]
    public async Task Differences_carry_types_and_sizes()
    {
        var (oldRoot, newRoot, _) = BuildPair();

        var diff = await SnapshotComparer.CompareAsync(oldRoot, newRoot, _store.LoadAsync);

        Assert.Equal(new SnapshotDifference("docs/a.txt", ChangeKind.Modified, NodeType.File, NodeType.File, 3, 4), diff.Differences.Single(d => d.Path == "docs/a.txt"));
        Assert.Equal(new SnapshotDifference("was-file", ChangeKind.TypeChanged, NodeType.File, NodeType.Directory, 1, 0), diff.Differences.Single(d => d.Path == "was-file"));
        Assert.Equal(new SnapshotDifference("gone/x", ChangeKind.Removed, NodeType.File, null, 1, null), diff.Differences.Single(d => d.Path == "gone/x"));
        Assert.Equal(new SnapshotDifference("fresh/l", ChangeKind.Added, null, NodeType.Symlink, null, 1), diff.Differences.Single(d => d.Path == "fresh/l"));
    }

    [Fact]
    public async Task Identical_subtrees_are_skipped_without_loading_them()
    {
        var (oldRoot, newRoot, unchanged) = BuildPair();

        await SnapshotComparer.CompareAsync(oldRoot, newRoot, _store.LoadAsync);

        Assert.DoesNotContain(unchanged, _store.Loads);
        // Both roots, both docs, gone and gone/y, fresh, was-file: each tree opened once.
        Assert.Equal(8, _store.Loads.Count);
        Assert.Equal(_store.Loads.Count, _store.Loads.Distinct().Count());
    }

    [Fact]
    public async Task Same_root_loads_nothing_and_finds_nothing()
    {
        var (oldRoot, _, _) = BuildPair();

        var diff = await SnapshotComparer.CompareAsync(oldRoot, oldRoot, _store.LoadAsync);

        Assert.Empty(diff.Differences);
        Assert.Empty(_store.Loads);
    }

    [Fact]
    public async Task Change_time_access_time_inode_and_device_are_not_changes()
    {
        var before = Nodes.File("f", "x");
        var after = before with { ChangeTime = Nodes.Noon, AccessTime = Nodes.Noon, Inode = 7, DeviceId = 9 };

        var diff = await SnapshotComparer.CompareAsync(_store.Add(before), _store.Add(after), _store.LoadAsync);

        Assert.Empty(diff.Differences);
    }

    [Fact]
    public async Task Owner_and_modification_time_are_metadata_changes()
    {
        var before = Nodes.File("f", "x");
        foreach (var after in new[] { before with { Uid = 1 }, before with { GroupName = "g" }, before with { ModifiedTime = Nodes.Noon.AddTicks(1) } })
        {
            var diff = await SnapshotComparer.CompareAsync(_store.Add(before), _store.Add(after), _store.LoadAsync);
            Assert.Equal(ChangeKind.MetadataChanged, Assert.Single(diff.Differences).Change);
        }
    }

    [Fact]
    public async Task Same_size_other_content_is_modified()
    {
        var diff = await SnapshotComparer.CompareAsync(
            _store.Add(Nodes.File("f", "abc")), _store.Add(Nodes.File("f", "xyz")), _store.LoadAsync);

        Assert.Equal(ChangeKind.Modified, Assert.Single(diff.Differences).Change);
    }

    [Fact]
    public async Task Differences_stream_in_order_and_stop_on_cancellation()
    {
        var (oldRoot, newRoot, _) = BuildPair();
        using var cancellation = new CancellationTokenSource();
        var seen = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var difference in SnapshotComparer.EnumerateDifferencesAsync(oldRoot, newRoot, _store.LoadAsync, cancellation.Token))
            {
                seen.Add(difference.Path);
                if (seen.Count == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(["docs", "docs/a.txt"], seen);
    }

    [Fact]
    public async Task Missing_tree_propagates_the_loader_failure()
    {
        var root = _store.Add(Nodes.Directory("d", new string('0', 64)));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => SnapshotComparer.CompareAsync(root, _store.Add(Tree.Empty), _store.LoadAsync));
    }
}
