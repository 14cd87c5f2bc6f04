using System.Buffers.Binary;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>The index file format and how the repository loads index files.</summary>
public sealed class IndexFileTests : IDisposable
{
    private readonly RepositoryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void An_index_file_round_trips_packs_blobs_and_superseded_ids()
    {
        var packs = new[] { RandomPack(3, 1000), RandomPack(0, 100), RandomPack(5, 50_000) };
        var superseded = new[] { Hex(32), Hex(32) };
        var file = new IndexFile(packs, superseded);

        var plaintext = file.ToPlaintext();
        var parsed = IndexFile.Parse(plaintext, "abc");

        Assert.Equal(superseded, parsed.Supersedes);
        Assert.Equal(8, parsed.BlobCount);
        Assert.Equal(packs.Length, parsed.Packs.Count);
        for (var i = 0; i < packs.Length; i++)
        {
            Assert.Equal(packs[i].Id, parsed.Packs[i].Id);
            Assert.Equal(packs[i].Length, parsed.Packs[i].Length);
            Assert.Equal(packs[i].Blobs, parsed.Packs[i].Blobs);
        }

        // 1 + 4 + 2·32 + 4, then per pack 32 + 8 + 4, then 45 per blob.
        Assert.Equal(1 + 4 + 64 + 4 + (3 * 44) + (8 * 45), plaintext.Length);
        Assert.Equal(IndexFile.FormatVersion, plaintext[0]);
    }

    [Fact]
    public void A_truncated_index_is_malformed()
    {
        var plaintext = new IndexFile([RandomPack(2, 1000)]).ToPlaintext();

        Assert.Throws<MalformedObjectException>(() => IndexFile.Parse(plaintext.AsSpan(0, plaintext.Length - 1), "abc"));
        Assert.Throws<MalformedObjectException>(() => IndexFile.Parse([.. plaintext, 0], "abc"));
        Assert.Throws<MalformedObjectException>(() => IndexFile.Parse([], "abc"));
    }

    [Fact]
    public void A_huge_declared_count_is_malformed_without_allocating_for_it()
    {
        var plaintext = new byte[1 + 4 + 4];
        plaintext[0] = IndexFile.FormatVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(plaintext.AsSpan(5), uint.MaxValue);

        var error = Assert.Throws<MalformedObjectException>(() => IndexFile.Parse(plaintext, "abc"));

        Assert.Equal(ObjectKind.Index, error.Kind);
    }

    [Fact]
    public void A_blob_outside_its_pack_or_of_unknown_type_is_malformed()
    {
        var plaintext = new IndexFile([RandomPack(1, 1000)]).ToPlaintext();
        var blobEntry = plaintext.Length - 45;

        var outside = (byte[])plaintext.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(outside.AsSpan(blobEntry + 33), 999);
        var unknownType = (byte[])plaintext.Clone();
        unknownType[blobEntry] = 7;

        Assert.Throws<MalformedObjectException>(() => IndexFile.Parse(outside, "abc"));
        Assert.Throws<MalformedObjectException>(() => IndexFile.Parse(unknownType, "abc"));
    }

    [Fact]
    public void Another_index_version_is_unsupported()
    {
        var plaintext = new IndexFile([RandomPack(1, 1000)]).ToPlaintext();
        plaintext[0] = 2;

        var error = Assert.Throws<UnsupportedFormatException>(() => IndexFile.Parse(plaintext, "abc"));

        Assert.Equal("2", error.Found);
    }

    [Fact]
    public async Task Superseded_index_files_are_ignored_when_the_repository_opens()
    {
        IReadOnlyList<string> oldIndex;
        PackResult kept, dropped;
        await using (var repository = await _context.InitAsync())
        {
            var (packsA, _) = await PackWriterTests.StoreAsync(repository, DistinctBlobs(5));
            var (packsB, _) = await PackWriterTests.StoreAsync(repository, DistinctBlobs(5));
            dropped = Assert.Single(packsA);
            kept = Assert.Single(packsB);
            oldIndex = await repository.WriteIndexAsync(packsA);
            await repository.WriteIndexAsync(packsB, oldIndex);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(2, (await _context.ListAsync(RepositoryPaths.IndexPrefix)).Count);
        Assert.True(reopened.Index.ContainsPack(kept.Id));
        Assert.False(reopened.Index.ContainsPack(dropped.Id));
        Assert.All(kept.Blobs, b => Assert.True(reopened.Index.Contains(b.Id, b.Type)));
        Assert.All(dropped.Blobs, b => Assert.False(reopened.Index.Contains(b.Id, b.Type)));
    }

    [Fact]
    public async Task An_index_file_is_named_by_the_BLAKE3_of_its_sealed_bytes_and_tampering_is_detected()
    {
        string id;
        await using (var repository = await _context.InitAsync())
        {
            var (packs, _) = await PackWriterTests.StoreAsync(repository, PackWriterTests.MixedBlobs(5, seed: 12));
            id = Assert.Single(await repository.WriteIndexAsync(packs));
        }

        var path = _context.PathOf(RepositoryPaths.Index(id));
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(id, Convert.ToHexString(Blake3.Hash(bytes)).ToLowerInvariant());
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<ObjectHashMismatchException>(_context.OpenAsync);

        Assert.Equal(RepositoryPaths.Index(id), error.ObjectName);
        Assert.Equal(id, error.ObjectId);
    }

    [Fact]
    public async Task Large_index_writes_are_split_into_several_files_that_all_load()
    {
        var packs = Enumerable.Range(0, 3).Select(_ => RandomPack(250_000, 16L * 1024 * 1024 * 1024 / 16)).ToList();
        await using (var repository = await _context.InitAsync())
        {
            var ids = await repository.WriteIndexAsync(packs);
            Assert.Equal(2, ids.Count);
            Assert.Equal(750_000, repository.Index.Count);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(750_000, reopened.Index.Count);
        Assert.Equal(3, reopened.Index.PackCount);
        var sample = packs[2].Blobs[1234];
        Assert.True(reopened.Index.TryGet(sample.Id, sample.Type, out var found));
        Assert.Equal(new IndexedBlob(packs[2].Id, sample.Type, sample.Id, sample.Offset, sample.Length, sample.RawLength), found);
    }

    /// <summary>A pack description with random ids and plausible contiguous offsets (no pack file behind it).</summary>
    internal static PackResult RandomPack(int blobCount, long packLength)
    {
        var blobs = new PackedBlob[blobCount];
        long offset = 0;
        var lengthEach = blobCount == 0 ? 0 : (int)Math.Min((packLength - 100) / blobCount, 60_000);
        for (var i = 0; i < blobCount; i++)
        {
            blobs[i] = new PackedBlob(i % 7 == 6 ? BlobType.Tree : BlobType.Data,
                new BlobId(RandomNumberGenerator.GetBytes(32)), offset, lengthEach, lengthEach - Envelope.Overhead);
            offset += lengthEach;
        }

        return new PackResult(new PackId(RandomNumberGenerator.GetBytes(32)), packLength, blobs);
    }

    private static List<(BlobType, byte[])> DistinctBlobs(int count) =>
        Enumerable.Range(0, count).Select(i => (i == 0 ? BlobType.Tree : BlobType.Data, RandomNumberGenerator.GetBytes(100 + i))).ToList();

    private static string Hex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
}
