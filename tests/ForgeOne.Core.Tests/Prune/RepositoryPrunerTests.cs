using ForgeOne.Core.Prune;
using ForgeOne.Core.Repository;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Tests.Backup;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Tests.Prune;

public sealed class RepositoryPrunerTests
{
    [Fact]
    public async Task Data_only_a_forgotten_snapshot_used_is_freed_and_the_rest_restores_and_checks_clean()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("kept.bin", EngineTestContext.RandomBytes(300_000, 1));
        var old = await context.BackupAsync();
        context.Write("gone.bin", EngineTestContext.RandomBytes(600_000, 2));
        var doomed = await context.BackupAsync();
        File.Delete(context.SourcePath("gone.bin"));
        var kept = await context.BackupAsync();
        await SnapshotForgetter.RemoveAsync(context.Repository, doomed.Id!, CancellationToken.None);
        var before = await StoredBytesAsync(context);

        var result = await RepositoryPruner.PruneAsync(context.Repository, null, null, CancellationToken.None);

        Assert.True(result.BytesFreed > 500_000, $"freed {result.BytesFreed}");
        Assert.True(await StoredBytesAsync(context) < before - 500_000);
        Assert.Equal(1, await CountAsync(context, RepositoryPaths.IndexPrefix));
        await context.ReopenAsync();
        foreach (var snapshot in new[] { old, kept })
        {
            var (restore, _) = await context.RestoreToNewAsync(snapshot);
            Assert.True(restore.Verified);
        }

        var check = await RepositoryChecker.CheckAsync(context.Repository, DataSubset.All, null, CancellationToken.None);
        Assert.True(check.Passed, string.Join("; ", check.Problems.Select(problem => problem.ToString())));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_go_and_changes_nothing()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.bin", EngineTestContext.RandomBytes(400_000, 3));
        var doomed = await context.BackupAsync();
        File.Delete(context.SourcePath("a.bin"));
        context.Write("b.bin", EngineTestContext.RandomBytes(10_000, 4));
        await context.BackupAsync();
        await SnapshotForgetter.RemoveAsync(context.Repository, doomed.Id!, CancellationToken.None);
        var before = await context.ListObjectsAsync();

        var result = await RepositoryPruner.PruneAsync(context.Repository, new PruneOptions { DryRun = true }, null, CancellationToken.None);

        Assert.True(result.DryRun);
        Assert.True(result.BytesFreed > 300_000);
        Assert.Equal(before, await context.ListObjectsAsync());
    }

    [Fact]
    public async Task A_pack_mostly_unused_is_rewritten_with_only_its_used_blobs()
    {
        // One pack holds both files' chunks; forgetting the bigger file leaves it mostly unused.
        await using var context = await EngineTestContext.CreateAsync(packSize: 4 * 1024 * 1024);
        context.Write("small.bin", EngineTestContext.RandomBytes(100_000, 5));
        context.Write("big.bin", EngineTestContext.RandomBytes(900_000, 6));
        var both = await context.BackupAsync();
        File.Delete(context.SourcePath("big.bin"));
        var small = await context.BackupAsync();
        await SnapshotForgetter.RemoveAsync(context.Repository, both.Id!, CancellationToken.None);

        var result = await RepositoryPruner.PruneAsync(context.Repository, null, null, CancellationToken.None);

        Assert.True(result.PacksRewritten >= 1);
        Assert.True(result.PacksWritten >= 1);
        Assert.True(result.BytesFreed > 700_000, $"freed {result.BytesFreed}");
        await context.ReopenAsync();
        Assert.True((await context.RestoreToNewAsync(small)).Result.Verified);
    }

    [Fact]
    public async Task Packs_no_index_names_are_deleted_as_leftovers_of_killed_runs()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.bin", EngineTestContext.RandomBytes(50_000, 8));
        var kept = await context.BackupAsync();
        var leftover = "data/ab/ab" + new string('0', 62);
        await context.Repository.Backend.WriteOnceAsync(leftover, EngineTestContext.RandomBytes(5_000, 9));

        var result = await RepositoryPruner.PruneAsync(context.Repository, null, null, CancellationToken.None);

        Assert.Equal(1, result.PacksDeleted);
        Assert.Equal(5_000, result.BytesFreed);
        Assert.Null(await context.Repository.Backend.StatAsync(leftover));
        Assert.True((await context.RestoreToNewAsync(kept)).Result.Verified);
    }

    [Fact]
    public async Task Prune_refuses_when_a_snapshot_does_not_read_and_changes_nothing()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a.bin", EngineTestContext.RandomBytes(100_000, 7));
        var damaged = await context.BackupAsync();
        var path = context.PathOfObject(RepositoryPaths.Snapshot(damaged.Id!));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);
        var before = await context.ListObjectsAsync();

        var error = await Assert.ThrowsAsync<PruneRefusedException>(() => RepositoryPruner.PruneAsync(context.Repository, null, null, CancellationToken.None));

        Assert.Contains(damaged.Id![..8], error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await context.ListObjectsAsync());
    }

    private static async Task<long> StoredBytesAsync(EngineTestContext context)
    {
        long total = 0;
        await foreach (var item in context.Repository.Backend.ListAsync(RepositoryPaths.DataPrefix))
        {
            total += item.Length;
        }

        return total;
    }

    private static async Task<int> CountAsync(EngineTestContext context, string prefix)
    {
        var count = 0;
        await foreach (var _ in context.Repository.Backend.ListAsync(prefix))
        {
            count++;
        }

        return count;
    }
}
