using ForgeOne.Core.Backup;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;

namespace ForgeOne.Core.Tests.Backup;

public sealed class SnapshotStoreTests
{
    [Fact]
    public async Task Snapshots_load_by_id_prefix_and_latest()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var older = await context.BackupAsync();
        var newer = await context.BackupAsync();

        Assert.Equal(older, await SnapshotStore.LoadAsync(context.Repository, older.Id!, CancellationToken.None));
        Assert.Equal(newer, await SnapshotStore.LoadAsync(context.Repository, newer.ShortId!.ToUpperInvariant(), CancellationToken.None));
        Assert.Equal(newer.Id, (await SnapshotStore.LoadAsync(context.Repository, "latest", CancellationToken.None)).Id);
        Assert.Equal(newer.Id, (await SnapshotStore.LoadAsync(context.Repository, "LATEST", CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Missing_snapshots_are_not_found()
    {
        await using var context = await EngineTestContext.CreateAsync();

        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => SnapshotStore.LoadAsync(context.Repository, "latest", CancellationToken.None));
        await Assert.ThrowsAsync<SnapshotNotFoundException>(() => SnapshotStore.LoadAsync(context.Repository, "abcdef", CancellationToken.None));
    }

    [Fact]
    public async Task A_damaged_snapshot_object_is_reported_and_the_others_still_list()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var good = await context.BackupAsync();
        var bad = await context.BackupAsync();
        var path = context.PathOfObject(RepositoryPaths.Snapshot(bad.Id!));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var damaged = new List<DamagedSnapshot>();
        var listed = await SnapshotStore.FindAsync(context.Repository, null, CancellationToken.None, damaged);

        Assert.Equal([good.Id], listed.Select(s => s.Id));
        Assert.Equal(bad.Id, Assert.Single(damaged).Id);
        Assert.Equal(good.Id, (await SnapshotStore.LoadAsync(context.Repository, "latest", CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Found_snapshots_are_oldest_first_and_filtered()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var first = await context.BackupAsync(new() { Paths = [context.Source], Host = "one" });
        var second = await context.BackupAsync(new() { Paths = [context.Source], Host = "two" });
        var third = await context.BackupAsync(new() { Paths = [context.Source], Host = "one" });

        var all = await SnapshotStore.FindAsync(context.Repository, null, CancellationToken.None);
        var one = await SnapshotStore.FindAsync(context.Repository, new SnapshotFilter { Host = "one" }, CancellationToken.None);

        Assert.Equal([first.Id, second.Id, third.Id], all.Select(s => s.Id));
        Assert.Equal([first.Id, third.Id], one.Select(s => s.Id));
    }

    [Fact]
    public async Task Diff_names_added_removed_and_modified_paths()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("kept", "same");
        context.Write("changed", "before");
        context.Write("removed", "gone later");
        var older = await context.BackupAsync();
        context.Write("changed", "after, and longer");
        File.Delete(context.SourcePath("removed"));
        context.Write("added/new", "new");
        var newer = await context.BackupAsync();

        var diff = await BackupDiff.CompareAsync(context.Repository, older.ShortId!, "latest", CancellationToken.None);

        Assert.Contains(diff.Differences, d => d is { Path: "data/changed", Change: ChangeKind.Modified, OldSize: 6, NewSize: 17 });
        Assert.Contains(diff.Differences, d => d is { Path: "data/removed", Change: ChangeKind.Removed });
        Assert.Contains(diff.Differences, d => d is { Path: "data/added", Change: ChangeKind.Added });
        Assert.Contains(diff.Differences, d => d is { Path: "data/added/new", Change: ChangeKind.Added });
        Assert.DoesNotContain(diff.Differences, d => d.Path == "data/kept");
        Assert.Equal(newer.Id, (await SnapshotStore.LoadAsync(context.Repository, "latest", CancellationToken.None)).Id);
    }
}
