using System.Security.Cryptography;
using ForgeOne.Core.Repository;
using Xunit.Abstractions;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>Lookups, duplicates and the memory cost of <see cref="MasterIndex"/>.</summary>
[Collection(MemoryMeasurementGroup.Name)]
public sealed class MasterIndexTests(ITestOutputHelper output)
{
    [Fact]
    public void A_blob_is_found_by_id_and_type_in_its_pack()
    {
        var index = new MasterIndex();
        var pack = IndexFileTests.RandomPack(10, 100_000);

        index.Add(pack);

        Assert.Equal(10, index.Count);
        Assert.Equal([pack.Id], index.PackIds);
        foreach (var blob in pack.Blobs)
        {
            Assert.True(index.TryGet(blob.Id, blob.Type, out var found));
            Assert.Equal(new IndexedBlob(pack.Id, blob.Type, blob.Id, blob.Offset, blob.Length, blob.RawLength), found);
            var otherType = blob.Type == BlobType.Data ? BlobType.Tree : BlobType.Data;
            Assert.False(index.Contains(blob.Id, otherType));
        }

        Assert.False(index.TryGet(new BlobId(RandomNumberGenerator.GetBytes(32)), BlobType.Data, out var missing));
        Assert.Equal(default, missing);
    }

    [Fact]
    public void A_blob_in_two_packs_keeps_its_first_location_and_packs_are_stored_once()
    {
        var index = new MasterIndex();
        var first = IndexFileTests.RandomPack(3, 100_000);
        var copy = new PackResult(new PackId(RandomNumberGenerator.GetBytes(32)), 100_000,
            first.Blobs.Select(b => b with { Offset = b.Offset + 10 }));

        index.Add(first);
        index.Add(copy);
        index.Add(first);

        Assert.Equal(3, index.Count);
        Assert.Equal([first.Id, copy.Id], index.PackIds);
        Assert.True(index.TryGet(first.Blobs[1].Id, first.Blobs[1].Type, out var found));
        Assert.Equal(first.Id, found.PackId);
        Assert.Equal(first.Blobs[1].Offset, found.Offset);
    }

    [Fact]
    public void Memory_per_blob_stays_well_under_120_bytes_for_a_million_blobs()
    {
        const int count = 1_000_000;
        const int blobsPerPack = 16;
        var packs = new List<PackResult>(count / blobsPerPack);
        for (var p = 0; p < count / blobsPerPack; p++)
        {
            var blobs = new PackedBlob[blobsPerPack];
            for (var b = 0; b < blobsPerPack; b++)
            {
                blobs[b] = new PackedBlob(BlobType.Data, new BlobId(RandomNumberGenerator.GetBytes(32)), b * 1_048_623L, 1_048_623, 1_048_576);
            }

            packs.Add(new PackResult(new PackId(RandomNumberGenerator.GetBytes(32)), (blobsPerPack * 1_048_623L) + 1000, blobs));
        }

        var presized = Measure(() =>
        {
            var index = new MasterIndex();
            index.EnsureCapacity(count, 0, packs.Count);
            packs.ForEach(index.Add);
            return index;
        });
        var grown = Measure(() =>
        {
            var index = new MasterIndex();
            packs.ForEach(index.Add);
            return index;
        });

        output.WriteLine($"presized (as loaded at open): {presized:F1} bytes/blob = {presized * count / (1 << 20):F0} MiB per million blobs");
        output.WriteLine($"grown by doubling (during a backup), allocated including discarded arrays: {grown:F1} bytes/blob");
        Assert.InRange(presized, 32, 120);
        Assert.InRange(grown, 32, 240);
    }

    // Bytes this thread allocated to build the index: immune to other tests freeing memory at the same time, which made a
    // process-wide GC.GetTotalMemory delta come out too low. For a presized index it equals what the index keeps; for a
    // grown one it also counts the arrays discarded while doubling, so it is an upper bound.
    private static double Measure(Func<MasterIndex> build)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var index = build();
        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(1_000_000, index.Count);
        GC.KeepAlive(index);
        return (after - before) / 1_000_000.0;
    }
}
