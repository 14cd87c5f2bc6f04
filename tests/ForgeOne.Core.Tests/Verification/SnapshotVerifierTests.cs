using ForgeOne.Core.Repository;
using ForgeOne.Core.Snapshots;
using ForgeOne.Core.Tests.Backup;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Tests.Verification;

public sealed class SnapshotVerifierTests
{
    private const string BigFile = "data/sub/deeper/multi-chunk.bin";

    [Fact]
    public async Task Good_snapshot_passes_the_structure_check()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var big = await context.FindNodeAsync(snapshot, BigFile);

        var result = await VerifyAsync(context, snapshot, null);

        Assert.True(result.Passed, Describe(result));
        Assert.Equal(snapshot.Id, result.SnapshotId);
        Assert.Equal(snapshot.DnaHash, result.DnaExpected);
        Assert.Equal(result.DnaExpected, result.DnaActual);
        Assert.Equal(0, result.BytesRead);
        Assert.Null(result.DataRead);
        Assert.Equal(big.Content!.Count + 6, result.ChunksChecked); // six small files of one chunk, one empty file
    }

    [Fact]
    public async Task Good_snapshot_passes_with_all_data_read()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        await context.ReopenAsync();

        var result = await VerifyAsync(context, snapshot, DataSubset.All);

        Assert.True(result.Passed, Describe(result));
        Assert.Equal(result.DnaExpected, result.DnaActual);
        Assert.Equal(snapshot.LogicalBytes, result.BytesRead);
        Assert.Equal("100%", result.DataRead);
    }

    [Fact]
    public async Task Part_of_the_data_can_be_read()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("big", EngineTestContext.RandomBytes(2 * 1024 * 1024, 9));
        var snapshot = await context.BackupAsync();

        var half = await VerifyAsync(context, snapshot, DataSubset.Parse("1/2"));
        var otherHalf = await VerifyAsync(context, snapshot, DataSubset.Parse("2/2"));

        Assert.True(half.Passed, Describe(half));
        Assert.True(otherHalf.Passed, Describe(otherHalf));
        Assert.Equal(snapshot.LogicalBytes, half.BytesRead + otherHalf.BytesRead);
        Assert.InRange(half.BytesRead, 1, snapshot.LogicalBytes - 1);
    }

    [Fact]
    public async Task Flipped_byte_is_reported_as_a_damaged_blob_with_its_path()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var big = await context.FindNodeAsync(snapshot, BigFile);
        context.DamageBlob(big.Content![2]);
        await context.ReopenAsync();

        var result = await VerifyAsync(context, snapshot, DataSubset.All);

        Assert.False(result.Passed);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemKind.DamagedBlob, problem.Kind);
        Assert.Equal(big.Content[2], problem.ObjectId);
        Assert.Equal([BigFile], problem.Paths);
        Assert.Equal([snapshot.Id!], problem.Snapshots);
        Assert.Contains(BigFile, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_pack_is_reported_as_missing_chunks_with_their_paths_without_reading_data()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var big = await context.FindNodeAsync(snapshot, BigFile);
        Assert.True(context.Repository.Index.TryGet(BlobId.Parse(big.Content![1]), BlobType.Data, out var indexed));
        var expected = (await MissingChunksAsync(context, snapshot, indexed.PackId))
            .Select(m => $"{m.Chunk} {m.Path}").Order(StringComparer.Ordinal).ToList();
        context.DeletePackOf(big.Content[1]);
        await context.ReopenAsync();

        var result = await VerifyAsync(context, snapshot, null);

        // The pack may also hold the listings of small folders written early; those show up as damaged trees.
        Assert.False(result.Passed);
        var missing = result.Problems.Where(p => p.Kind == ProblemKind.MissingBlob).ToList();
        Assert.Contains(expected, e => e.EndsWith(BigFile, StringComparison.Ordinal));
        Assert.Equal(expected, missing.Select(p => $"{p.ObjectId} {Assert.Single(p.Paths)}").Order(StringComparer.Ordinal));
        Assert.All(missing, p => Assert.Equal([snapshot.Id!], p.Snapshots));
        Assert.All(result.Problems.Where(p => p.Kind != ProblemKind.MissingBlob), p =>
            Assert.Contains(p.Kind, new[] { ProblemKind.DamagedTree, ProblemKind.DnaMismatch }));
        Assert.Equal(0, result.BytesRead);
    }

    [Fact]
    public async Task Damaged_listing_is_reported_with_its_folder()
    {
        await using var context = await EngineTestContext.CreateAsync();
        BackupRunnerTests.WriteVariedTree(context);
        var snapshot = await context.BackupAsync();
        var deeper = await context.FindNodeAsync(snapshot, "data/sub/deeper");
        context.DamageBlob(deeper.Subtree!, BlobType.Tree);
        await context.ReopenAsync();

        var result = await VerifyAsync(context, snapshot, null);

        Assert.False(result.Passed);
        var damaged = Assert.Single(result.Problems, p => p.Kind == ProblemKind.DamagedTree);
        Assert.Equal(deeper.Subtree, damaged.ObjectId);
        Assert.Equal(["data/sub/deeper"], damaged.Paths);
        Assert.Contains(result.Problems, p => p.Kind == ProblemKind.DnaMismatch);
    }

    [Fact]
    public async Task Chunks_that_are_not_the_file_are_a_content_mismatch()
    {
        await using var context = await EngineTestContext.CreateAsync();
        context.Write("right", "the right content");
        context.Write("other", "different content");
        var snapshot = await context.BackupAsync();
        var other = await context.FindNodeAsync(snapshot, "data/other");
        var lying = await context.SaveEditedSnapshotAsync(snapshot, "data/right", node => node with { Content = other.Content });

        var structure = await VerifyAsync(context, lying, null);
        var data = await VerifyAsync(context, lying, DataSubset.All);

        Assert.True(structure.Passed, "without reading data the lie cannot show");
        Assert.False(data.Passed);
        var mismatch = Assert.Single(data.Problems, p => p.Kind == ProblemKind.ContentMismatch);
        Assert.Equal(["data/right"], mismatch.Paths);
        Assert.Contains(data.Problems, p => p.Kind == ProblemKind.DnaMismatch);
        Assert.NotEqual(data.DnaExpected, data.DnaActual);
    }

    /// <summary>
    /// The chunks of a pack that a walk of the snapshot finds once the pack is gone, with their files: not those
    /// below a folder whose listing was in the pack too, since no walk gets there.
    /// </summary>
    internal static async Task<IReadOnlyList<(string Chunk, string Path)>> MissingChunksAsync(EngineTestContext context, Snapshot snapshot, PackId pack)
    {
        var blobs = (await context.Repository.ReadPackHeaderAsync(pack)).Blobs;
        var chunks = blobs.Where(b => b.Type == BlobType.Data).Select(b => b.Id.ToString()).ToHashSet();
        var trees = blobs.Where(b => b.Type == BlobType.Tree).Select(b => b.Id.ToString()).ToHashSet();
        var nodes = await context.ListNodesAsync(snapshot);
        var unreachable = nodes.Where(n => n.Node.Subtree is { } subtree && trees.Contains(subtree)).Select(n => n.Path + "/").ToList();
        return [.. nodes
            .Where(n => !unreachable.Any(folder => n.Path.StartsWith(folder, StringComparison.Ordinal)))
            .SelectMany(n => (n.Node.Content ?? []).Where(chunks.Contains).Select(chunk => (chunk, n.Path)))];
    }

    private static Task<SnapshotVerification> VerifyAsync(EngineTestContext context, Snapshot snapshot, DataSubset? readData) =>
        SnapshotVerifier.VerifyAsync(context.Repository, snapshot, readData, null, CancellationToken.None);

    private static string Describe(SnapshotVerification result) =>
        string.Join("\n", result.Problems.Select(p => $"{p.Kind}: {p.Message}"));
}
