using ForgeOne.Core.Repository;
using ForgeOne.Core.Tests.Backup;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Tests.Verification;

public sealed class RepositoryCheckerTests
{
    private const string BigFile = "data/sub/deeper/multi-chunk.bin";

    [Fact]
    public async Task Clean_repository_passes_with_and_without_reading_data()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        await context.BackupAsync();
        context.Write("more", EngineTestContext.RandomBytes(100_000, 10));
        await context.BackupAsync();
        var packs = await context.Storage.ListAsync(RepositoryPaths.DataPrefix);
        await context.ReopenAsync();

        var structure = await CheckAsync(context, null);
        var data = await CheckAsync(context, DataSubset.All);

        Assert.True(structure.Passed, Describe(structure));
        Assert.True(data.Passed, Describe(data));
        Assert.Equal(2, data.Snapshots);
        Assert.Equal(packs.Count, data.Packs);
        Assert.Equal(packs.Count, data.PacksRead);
        Assert.Equal(0, structure.PacksRead);
        Assert.Equal(0, data.UnreferencedPacks);
        Assert.Equal("100%", data.DataRead);
        Assert.Null(structure.DataRead);
        Assert.Equal(context.Repository.Location, data.Repository);
    }

    [Fact]
    public async Task Subset_reads_some_packs_and_the_slices_read_them_all()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("big", EngineTestContext.RandomBytes(2 * 1024 * 1024, 11));
        await context.BackupAsync();

        var first = await CheckAsync(context, DataSubset.Parse("1/3"));
        var second = await CheckAsync(context, DataSubset.Parse("2/3"));
        var third = await CheckAsync(context, DataSubset.Parse("3/3"));

        Assert.True(first.Passed && second.Passed && third.Passed);
        Assert.Equal(first.Packs, first.PacksRead + second.PacksRead + third.PacksRead);
        Assert.InRange(first.PacksRead, 1, first.Packs - 1);
    }

    [Fact]
    public async Task Unreferenced_pack_is_counted_not_reported()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        await context.BackupAsync();

        // What an interrupted backup leaves: a pack that no index lists.
        var bytes = EngineTestContext.RandomBytes(1000, 12);
        var id = context.Repository.ComputeBlobId(bytes);
        using (var writer = context.Repository.CreatePackWriter())
        {
            await writer.AddAsync(BlobType.Data, id, context.Repository.BlobSealer.Seal(BlobType.Data, id, bytes), bytes.Length);
            Assert.NotNull(await writer.FlushAsync());
        }

        var result = await CheckAsync(context, DataSubset.All);

        Assert.True(result.Passed, Describe(result));
        Assert.Equal(1, result.UnreferencedPacks);
    }

    [Fact]
    public async Task Flipped_byte_is_reported_with_its_pack_and_every_snapshot_and_path_that_needs_it()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var first = await context.BackupAsync();
        File.Copy(context.SourcePath("sub/deeper/multi-chunk.bin"), context.SourcePath("copy.bin"));
        var second = await context.BackupAsync();
        var big = await context.FindNodeAsync(first, BigFile);
        var pack = context.DamageBlob(big.Content![3]);
        await context.ReopenAsync();

        var structure = await CheckAsync(context, null);
        var result = await CheckAsync(context, DataSubset.All);

        Assert.True(structure.Passed, "a flipped data byte leaves the header intact; only reading data finds it");
        Assert.False(result.Passed);
        var damagedPack = Assert.Single(result.Problems, p => p.Kind == ProblemKind.DamagedPack);
        Assert.Equal(pack, damagedPack.ObjectId);
        var damagedBlob = Assert.Single(result.Problems, p => p.Kind == ProblemKind.DamagedBlob);
        Assert.Equal(big.Content[3], damagedBlob.ObjectId);
        Assert.Equal(new[] { first.Id!, second.Id! }.Order(StringComparer.Ordinal), damagedBlob.Snapshots);
        Assert.Equal(["data/copy.bin", BigFile], damagedBlob.Paths);
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public async Task Deleted_pack_is_reported_with_the_snapshots_and_paths_that_need_it()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var big = await context.FindNodeAsync(snapshot, BigFile);
        Assert.True(context.Repository.Index.TryGet(BlobId.Parse(big.Content![1]), BlobType.Data, out var indexed));
        var expected = (await SnapshotVerifierTests.MissingChunksAsync(context, snapshot, indexed.PackId))
            .GroupBy(e => e.Chunk)
            .Select(g => $"{g.Key} {string.Join(",", g.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal).ToList();
        var pack = context.DeletePackOf(big.Content[1]);
        await context.ReopenAsync();

        var result = await CheckAsync(context, null);

        Assert.False(result.Passed);
        var missingPack = Assert.Single(result.Problems, p => p.Kind == ProblemKind.MissingPack);
        Assert.Equal(pack, missingPack.ObjectId);
        var missing = result.Problems.Where(p => p.Kind == ProblemKind.MissingBlob).ToList();
        Assert.Contains(expected, e => e.StartsWith(big.Content[1], StringComparison.Ordinal) && e.EndsWith(BigFile, StringComparison.Ordinal));
        Assert.Equal(expected, missing.Select(p => $"{p.ObjectId} {string.Join(",", p.Paths)}").Order(StringComparer.Ordinal));
        Assert.All(missing, p => Assert.Equal([snapshot.Id!], p.Snapshots));

        // Listings that were in the pack cannot be read; anything else would be a false alarm.
        Assert.All(result.Problems, p => Assert.Contains(p.Kind, new[] { ProblemKind.MissingPack, ProblemKind.MissingBlob, ProblemKind.DamagedTree }));
    }

    [Fact]
    public async Task Damaged_snapshot_object_is_reported_and_the_others_are_checked()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("a", "a");
        var damaged = await context.BackupAsync();
        context.Write("b", "b");
        await context.BackupAsync();
        var path = context.Storage.PathOf(RepositoryPaths.Snapshot(damaged.Id!));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 1;
        File.SetAttributes(path, FileAttributes.Normal);
        await File.WriteAllBytesAsync(path, bytes);

        var result = await CheckAsync(context, DataSubset.All);

        Assert.False(result.Passed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemKind.DamagedSnapshot, problem.Kind);
        Assert.Equal([damaged.Id!], problem.Snapshots);
        Assert.Equal(1, result.Snapshots);
    }

    [Fact]
    public async Task Damaged_listing_is_reported_with_its_folder()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var sub = await context.FindNodeAsync(snapshot, "data/sub");
        context.DamageBlob(sub.Subtree!, ForgeOne.Core.Repository.BlobType.Tree);
        await context.ReopenAsync();

        var result = await CheckAsync(context, null);

        var problem = Assert.Single(result.Problems, p => p.Kind == ProblemKind.DamagedTree);
        Assert.Equal(sub.Subtree, problem.ObjectId);
        Assert.Equal(["data/sub"], problem.Paths);
        Assert.Equal([snapshot.Id!], problem.Snapshots);
    }

    private static Task<RepositoryCheckResult> CheckAsync(EngineTestContext context, DataSubset? readData) =>
        RepositoryChecker.CheckAsync(context.Repository, readData, null, CancellationToken.None);

    private static string Describe(RepositoryCheckResult result) =>
        string.Join("\n", result.Problems.Select(p => $"{p.Kind}: {p.Message}"));
}
