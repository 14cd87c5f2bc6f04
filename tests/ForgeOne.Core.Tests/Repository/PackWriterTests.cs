using System.Buffers.Binary;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Repository;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Tests.Repository;

/// <summary>Packs written by <see cref="PackWriter"/> and read back through the index and <see cref="PackHeader"/>.</summary>
public sealed class PackWriterTests : IDisposable
{
    private readonly RepositoryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_thousand_mixed_blobs_read_back_equal_after_flush_index_and_reopen()
    {
        var blobs = MixedBlobs(1000, seed: 1);
        Dictionary<(BlobId, BlobType), byte[]> stored;
        int packCount;
        await using (var repository = await _context.InitAsync())
        {
            var (packs, ids) = await StoreAsync(repository, blobs);
            stored = ids;
            packCount = packs.Count;
            Assert.True(packCount > 10, $"expected several packs, got {packCount}");
            Assert.All(packs, p => Assert.True(p.Blobs.Sum(b => (long)b.Length) - p.Blobs.Max(b => b.Length) < repository.Config.PackSize));
            var indexIds = await repository.WriteIndexAsync(packs);
            Assert.Single(indexIds);
        }

        await using var reopened = await _context.OpenAsync();

        Assert.Equal(stored.Count, reopened.Index.Count);
        Assert.Equal(packCount, reopened.Index.PackCount);
        foreach (var ((id, type), plaintext) in stored)
        {
            Assert.Equal(plaintext, await reopened.ReadBlobAsync(id, type));
        }
    }

    [Fact]
    public async Task A_pack_never_holds_more_than_the_pack_size_unless_it_is_one_larger_blob()
    {
        await using var repository = await _context.InitAsync();
        var packSize = repository.Config.PackSize;
        var random = new Random(9);
        using var writer = repository.CreatePackWriter();
        List<PackResult> packs = [];

        // Mostly small blobs, with ones of 40%, 90% and 150% of a pack in between, so full packs meet large blobs.
        foreach (var size in Enumerable.Range(0, 60).Select(i => i % 7 == 3 ? packSize * 2 / 5 : i % 11 == 5 ? packSize * 9 / 10 : i == 30 ? packSize * 3 / 2 : random.Next(1, 8192)))
        {
            var data = new byte[size];
            random.NextBytes(data);
            var id = repository.ComputeBlobId(data);
            if (await writer.AddAsync(BlobType.Data, id, repository.BlobSealer.Seal(BlobType.Data, id, data), data.Length) is { } pack)
            {
                packs.Add(pack);
            }
        }

        packs.Add((await writer.FlushAsync())!);

        Assert.Equal(60, packs.Sum(p => p.Blobs.Count));
        Assert.All(packs, p => Assert.True(p.Blobs.Count == 1 || p.Blobs.Sum(b => (long)b.Length) <= packSize,
            $"a pack of {p.Blobs.Count} blobs holds {p.Blobs.Sum(b => (long)b.Length)} bytes, over the pack size {packSize}"));
        Assert.Contains(packs, p => p.Blobs is [{ RawLength: var raw }] && raw == packSize * 3 / 2);
    }

    [Fact]
    public async Task Blobs_in_a_pack_are_not_in_insertion_order()
    {
        await using var repository = await _context.InitAsync();
        var random = new Random(2);
        var inserted = new List<BlobId>();
        using var writer = repository.CreatePackWriter();
        for (var i = 0; i < 50; i++)
        {
            var data = new byte[100 + i];
            random.NextBytes(data);
            var id = repository.ComputeBlobId(data);
            inserted.Add(id);
            Assert.Null(await writer.AddAsync(BlobType.Data, id, repository.BlobSealer.Seal(BlobType.Data, id, data), data.Length));
        }

        var pack = await writer.FlushAsync();

        Assert.NotNull(pack);
        var byOffset = pack.Blobs.OrderBy(b => b.Offset).Select(b => inserted.IndexOf(b.Id)).ToList();
        Assert.Equal(Enumerable.Range(0, 50).OrderBy(i => i), byOffset.OrderBy(i => i));
        Assert.NotEqual(Enumerable.Range(0, 50), byOffset);
    }

    [Fact]
    public async Task The_pack_name_is_the_BLAKE3_of_its_bytes_and_its_header_matches_the_result()
    {
        await using var repository = await _context.InitAsync();
        var (packs, _) = await StoreAsync(repository, MixedBlobs(40, seed: 3));
        var pack = packs[0];

        var bytes = await File.ReadAllBytesAsync(_context.PathOf(RepositoryPaths.Pack(pack.Id)));
        var header = await repository.ReadPackHeaderAsync(pack.Id);

        Assert.Equal(pack.Id, new PackId(Blake3.Hash(bytes)));
        Assert.Equal(pack.Length, bytes.Length);
        Assert.Equal(RepositoryPaths.Pack(pack.Id), $"data/{pack.Id.ToString()[..2]}/{pack.Id}");
        Assert.Equal(pack.Blobs, header.Blobs);
        Assert.Equal(pack.Length, header.PackLength);
        Assert.Equal((uint)header.HeaderLength, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
        var lastBlob = pack.Blobs[^1];
        Assert.Equal(bytes.Length - 4 - header.HeaderLength, lastBlob.Offset + lastBlob.Length);
    }

    [Fact]
    public async Task A_flipped_byte_inside_a_pack_is_reported_with_its_pack_and_blob()
    {
        await using var repository = await _context.InitAsync();
        var (packs, stored) = await StoreAsync(repository, MixedBlobs(20, seed: 4));
        await repository.WriteIndexAsync(packs);
        var pack = packs[0];
        var victim = pack.Blobs[pack.Blobs.Count / 2];
        var path = _context.PathOf(RepositoryPaths.Pack(pack.Id));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[victim.Offset + (victim.Length / 2)] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<BlobIntegrityException>(() => repository.ReadBlobAsync(victim.Id, victim.Type));

        Assert.IsAssignableFrom<IntegrityException>(error);
        Assert.Equal(pack.Id, error.PackId);
        Assert.Equal(victim.Id, error.BlobId);
        Assert.Contains(pack.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(victim.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.IsType<ObjectAuthenticationException>(error.InnerException);
        foreach (var other in pack.Blobs.Where(b => b.Id != victim.Id))
        {
            Assert.Equal(stored[(other.Id, other.Type)], await repository.ReadBlobAsync(other.Id, other.Type));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(-2)]
    public async Task A_truncated_pack_throws_MalformedPackException_on_header_read(int cut)
    {
        await using var repository = await _context.InitAsync();
        var (packs, _) = await StoreAsync(repository, MixedBlobs(20, seed: 5));
        var pack = packs[0];
        var path = _context.PathOf(RepositoryPaths.Pack(pack.Id));
        var bytes = await File.ReadAllBytesAsync(path);
        var keep = cut > 0 ? bytes.Length - cut : bytes.Length / -cut;
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, keep).ToArray());

        var error = await Assert.ThrowsAsync<MalformedPackException>(() => repository.ReadPackHeaderAsync(pack.Id));

        Assert.Equal(pack.Id, error.PackId);
        Assert.Contains(pack.Id.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_beyond_the_end_of_a_truncated_pack_throws_MalformedPackException()
    {
        await using var repository = await _context.InitAsync();
        var (packs, _) = await StoreAsync(repository, MixedBlobs(20, seed: 6));
        await repository.WriteIndexAsync(packs);
        var pack = packs[0];
        var path = _context.PathOf(RepositoryPaths.Pack(pack.Id));
        var last = pack.Blobs[^1];
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, (int)last.Offset + 10).ToArray());

        var error = await Assert.ThrowsAsync<MalformedPackException>(() => repository.ReadBlobAsync(last.Id, last.Type));

        Assert.Equal(pack.Id, error.PackId);
    }

    [Fact]
    public async Task A_blob_added_twice_before_a_flush_is_stored_once()
    {
        await using var repository = await _context.InitAsync();
        using var writer = repository.CreatePackWriter();
        var data = "twice"u8.ToArray();
        var id = repository.ComputeBlobId(data);
        var sealedBlob = repository.BlobSealer.Seal(BlobType.Data, id, data);

        await writer.AddAsync(BlobType.Data, id, sealedBlob, data.Length);
        await writer.AddAsync(BlobType.Data, id, sealedBlob, data.Length);

        Assert.True(writer.Contains(id, BlobType.Data));
        Assert.False(writer.Contains(id, BlobType.Tree));
        Assert.Equal(1, writer.PendingCount);
        var pack = await writer.FlushAsync();
        Assert.Single(pack!.Blobs);
        Assert.Equal(0, writer.PendingCount);
        Assert.Null(await writer.FlushAsync());
    }

    [Fact]
    public async Task Compressible_blobs_are_stored_smaller_and_random_ones_barely_grow()
    {
        await using var repository = await _context.InitAsync();
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("all work and no play ", 3000)));
        var noise = new byte[text.Length];
        new Random(7).NextBytes(noise);

        var sealedText = repository.BlobSealer.Seal(BlobType.Data, repository.ComputeBlobId(text), text);
        var sealedNoise = repository.BlobSealer.Seal(BlobType.Data, repository.ComputeBlobId(noise), noise);

        Assert.True(sealedText.Length < text.Length / 10);
        Assert.Equal(noise.Length + Envelope.Overhead, sealedNoise.Length);
    }

    [Fact]
    public async Task The_same_bytes_as_data_and_as_tree_are_kept_apart()
    {
        await using var repository = await _context.InitAsync();
        var bytes = "identical bytes, two types"u8.ToArray();
        var (packs, _) = await StoreAsync(repository, [(BlobType.Data, bytes), (BlobType.Tree, bytes)]);
        await repository.WriteIndexAsync(packs);
        var id = repository.ComputeBlobId(bytes);

        Assert.Equal(2, repository.Index.Count);
        Assert.Equal(bytes, await repository.ReadBlobAsync(id, BlobType.Data));
        Assert.Equal(bytes, await repository.ReadBlobAsync(id, BlobType.Tree));
    }

    [Fact]
    public async Task A_blob_not_in_the_index_throws_BlobNotFoundException()
    {
        await using var repository = await _context.InitAsync();
        var id = repository.ComputeBlobId("never stored"u8);

        var error = await Assert.ThrowsAsync<BlobNotFoundException>(() => repository.ReadBlobAsync(id, BlobType.Data));

        Assert.Equal(id, error.BlobId);
        Assert.Contains(id.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_reads_into_a_caller_buffer()
    {
        await using var repository = await _context.InitAsync();
        var blobs = MixedBlobs(5, seed: 8);
        var (packs, stored) = await StoreAsync(repository, blobs);
        await repository.WriteIndexAsync(packs);
        var ((id, type), plaintext) = stored.First(kv => kv.Value.Length > 10);
        var buffer = new byte[plaintext.Length + 5];

        var written = await repository.ReadBlobAsync(id, type, buffer);

        Assert.Equal(plaintext.Length, written);
        Assert.Equal(plaintext, buffer.AsSpan(0, written).ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() => repository.ReadBlobAsync(id, type, new byte[plaintext.Length - 1]));
    }

    [Fact]
    public async Task A_cancelled_flush_writes_nothing_and_keeps_the_blobs_pending()
    {
        await using var repository = await _context.InitAsync();
        using var writer = repository.CreatePackWriter();
        var data = "pending"u8.ToArray();
        var id = repository.ComputeBlobId(data);
        await writer.AddAsync(BlobType.Data, id, repository.BlobSealer.Seal(BlobType.Data, id, data), data.Length);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.FlushAsync(new CancellationToken(canceled: true)));

        Assert.Empty(await _context.ListAsync(RepositoryPaths.DataPrefix));
        Assert.Equal(1, writer.PendingCount);
        Assert.NotNull(await writer.FlushAsync());
        Assert.Single(await _context.ListAsync(RepositoryPaths.DataPrefix));
    }

    [Fact]
    public async Task A_sealed_blob_of_impossible_length_is_refused()
    {
        await using var repository = await _context.InitAsync();
        using var writer = repository.CreatePackWriter();
        var id = repository.ComputeBlobId("x"u8);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => writer.AddAsync(BlobType.Data, id, new byte[10], 1).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => writer.AddAsync(BlobType.Data, id, new byte[200], 1).AsTask());
    }

    /// <summary>Blobs of mixed types and sizes (0 bytes to 96 KiB), about a third of them compressible text.</summary>
    internal static List<(BlobType Type, byte[] Data)> MixedBlobs(int count, int seed)
    {
        var random = new Random(seed);
        var blobs = new List<(BlobType, byte[])>(count);
        int[] sizes = [0, 1, 47, 63, 64, 65, 1000, 4096, 65536, 65537, 98304];
        for (var i = 0; i < count; i++)
        {
            var size = i < sizes.Length ? sizes[i] : random.Next(0, 64 * 1024);
            var data = new byte[size];
            if (i % 3 == 0)
            {
                var phrase = Encoding.ASCII.GetBytes($"blob {i} says hello; ");
                for (var j = 0; j < size; j++)
                {
                    data[j] = phrase[j % phrase.Length];
                }
            }
            else
            {
                random.NextBytes(data);
            }

            blobs.Add((i % 10 == 9 ? BlobType.Tree : BlobType.Data, data));
        }

        return blobs;
    }

    /// <summary>Computes ids, seals and packs the blobs the way the backup pipeline will.</summary>
    internal static async Task<(List<PackResult> Packs, Dictionary<(BlobId, BlobType), byte[]> Stored)> StoreAsync(
        ForgeRepository repository, IEnumerable<(BlobType Type, byte[] Data)> blobs)
    {
        var packs = new List<PackResult>();
        var stored = new Dictionary<(BlobId, BlobType), byte[]>();
        using var writer = repository.CreatePackWriter();
        foreach (var (type, data) in blobs)
        {
            var id = repository.ComputeBlobId(data);
            stored[(id, type)] = data;
            var buffer = new byte[BlobSealer.GetMaxSealedLength(data.Length)];
            var length = repository.BlobSealer.Seal(type, id, data, buffer);
            if (await writer.AddAsync(type, id, buffer.AsMemory(0, length), data.Length) is { } pack)
            {
                packs.Add(pack);
            }
        }

        if (await writer.FlushAsync() is { } last)
        {
            packs.Add(last);
        }

        return (packs, stored);
    }
}
