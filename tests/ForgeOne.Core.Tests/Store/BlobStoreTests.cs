using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store;
using ForgeOne.Core.Store.Blobs;
using ForgeOne.Core.Store.Sqlite;

namespace ForgeOne.Core.Tests.Store;

public sealed class BlobStoreTests
{
    private const string Marker = "FORGE-PLAINTEXT-MARKER-7f3a9c";

    [Fact]
    public void A_multi_mebibyte_file_of_random_and_repetitive_data_round_trips_byte_identical()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 2);
        var source = WriteFile(context, "source.bin", MixedContent(seed: 1, mebibytes: 6));

        BlobMetadata added;
        using (var input = File.OpenRead(source))
        {
            added = store.Blobs.Add("backups/disk.img", input, new BlobAddOptions { ContentType = "application/octet-stream", CreatedBy = "tester" });
        }

        var saved = store.Blobs.Save("backups/disk.img", Path.Join(context.TempPath, "out", "disk.img"), overwrite: false);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(saved.FullName));
        Assert.Equal(new FileInfo(source).Length, added.Size);
        Assert.Equal(B3sum.HashHex(source), added.Checksum);
        Assert.True(added.ChunkCount > 6, $"6 MiB cut into only {added.ChunkCount} chunks");
        Assert.True(added.Encrypted);
        Assert.True(added.Compressed);
        Assert.Equal(added, store.Blobs.Get("backups/disk.img") with { Metadata = added.Metadata, SensitiveFields = added.SensitiveFields });
        Assert.Equal("backups/disk.img", store.Blobs.GetById(added.Id).Name);
        using var read = new MemoryStream();
        using (var stream = store.Blobs.OpenRead("backups/disk.img"))
        {
            stream.CopyTo(read);
        }

        Assert.Equal(File.ReadAllBytes(source), read.ToArray());
    }

    [Fact]
    public void Chunks_read_back_carry_their_checksums_and_add_up_to_the_content()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var content = MixedContent(seed: 2, mebibytes: 3);
        store.Blobs.Add("a", new MemoryStream(content));

        var chunks = store.Blobs.ReadChunks("a").ToList();

        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(chunk => chunk.ChunkIndex));
        Assert.All(chunks, chunk => Assert.Equal(ObjectNames.ToHex(Blake3.Hash(chunk.Data.Span)), chunk.Checksum));
        Assert.Equal(content, chunks.SelectMany(chunk => chunk.Data.ToArray()).ToArray());
        Assert.All(chunks, chunk => Assert.InRange(chunk.Data.Length, 1, BlobStore.ChunkSizes.MaximumSize));
    }

    [Fact]
    public void An_empty_blob_round_trips()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var added = store.Blobs.Add("empty", new MemoryStream());

        var path = store.Blobs.Save("empty", Path.Join(context.TempPath, "empty.bin"), overwrite: false).FullName;

        Assert.Equal(0, added.Size);
        Assert.Equal(0, added.ChunkCount);
        Assert.Equal(ObjectNames.ToHex(Blake3.Hash([])), added.Checksum);
        Assert.Empty(File.ReadAllBytes(path));
    }

    [Fact]
    public void Identical_content_under_two_names_stores_its_chunks_once()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        var content = MixedContent(seed: 3, mebibytes: 4);

        var first = store.Blobs.Add("first.bin", new MemoryStream(content));
        var chunksAfterFirst = Count(store, "chunks");
        var second = store.Blobs.Add("second.bin", new MemoryStream(content));

        Assert.Equal(first.Checksum, second.Checksum);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(chunksAfterFirst, Count(store, "chunks"));
        Assert.Equal(2L * first.ChunkCount, Count(store, "blob_chunks"));
        Assert.Equal(2L * first.ChunkCount, Scalar(store, "SELECT sum(refs) FROM chunks"));
        Assert.Equal(content, ReadAll(store, "second.bin"));
    }

    [Fact]
    public void Replacing_and_removing_blobs_frees_the_chunks_nothing_else_uses()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        var shared = MixedContent(seed: 4, mebibytes: 2);
        var replacement = MixedContent(seed: 5, mebibytes: 2);
        var original = store.Blobs.Add("a", new MemoryStream(shared));
        store.Blobs.Add("b", new MemoryStream(shared));
        var sharedChunks = Count(store, "chunks");

        var replaced = store.Blobs.Add("a", new MemoryStream(replacement));

        // The new content gets a new id; the old id is gone, but its chunks stay for "b".
        Assert.NotEqual(original.Id, replaced.Id);
        Assert.Throws<BlobNotFoundException>(() => store.Blobs.GetById(original.Id));
        Assert.Equal(replacement, ReadAll(store, "a"));
        Assert.Equal(shared, ReadAll(store, "b"));
        Assert.Equal(sharedChunks + CountDistinctChunks(store, replaced.Id), Count(store, "chunks"));
        Assert.Equal(2, Count(store, "blob_metadata"));

        Assert.True(store.Blobs.Remove("b"));
        Assert.Equal(CountDistinctChunks(store, replaced.Id), Count(store, "chunks"));
        Assert.Equal(replacement, ReadAll(store, "a"));

        Assert.True(store.Blobs.Remove("a"));
        Assert.False(store.Blobs.Remove("a"));
        foreach (var table in new[] { "chunks", "blob_chunks", "blob_metadata", "blob_index" })
        {
            Assert.Equal(0, Count(store, table));
        }
    }

    [Fact]
    public void A_flipped_byte_in_a_sealed_chunk_fails_the_read_and_Save_leaves_no_file()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        var added = store.Blobs.Add("reports/q3.pdf", new MemoryStream(MixedContent(seed: 6, mebibytes: 3)));
        using (var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Blobs, 0)))
        {
            var chunk = (byte[])shard.Connection.Scalar("SELECT chunk FROM blob_chunks WHERE chunk_index = 1")!;
            using var command = shard.Connection.CreateCommand();
            command.CommandText = "SELECT value FROM chunks WHERE id = $id";
            command.Parameters.AddWithValue("$id", chunk);
            var value = (byte[])command.ExecuteScalar()!;
            value[value.Length / 2] ^= 0x01;
            command.CommandText = "UPDATE chunks SET value = $value WHERE id = $id";
            command.Parameters.AddWithValue("$value", value);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var folder = Path.Join(context.TempPath, "restore");
        var target = Path.Join(folder, "q3.pdf");
        var error = Assert.Throws<BlobIntegrityException>(() => store.Blobs.Save("reports/q3.pdf", target, overwrite: false));

        Assert.Contains("'reports/q3.pdf'", error.Message);
        Assert.Contains("chunk 1 of", error.Message);
        Assert.Contains("blobs_shard_0.redb", error.Message);
        Assert.Equal(added.Id.ToString(), error.ObjectId);
        Assert.IsType<RecordIntegrityException>(error.InnerException);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        using var stream = store.Blobs.OpenRead("reports/q3.pdf");
        Assert.Throws<BlobIntegrityException>(() => stream.CopyTo(Stream.Null));
    }

    [Fact]
    public void Chunks_put_out_of_order_fail_the_whole_content_checksum()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        store.Blobs.Add("a", new MemoryStream(MixedContent(seed: 7, mebibytes: 2)));
        using (var shard = store.OpenShard(new StoreDatabase(StoreDatabaseKind.Blobs, 0)))
        {
            // Every chunk still opens and matches its own checksum; only the whole content is wrong.
            shard.Connection.Execute("UPDATE blob_chunks SET chunk_index = -1 WHERE chunk_index = 0");
            shard.Connection.Execute("UPDATE blob_chunks SET chunk_index = 0 WHERE chunk_index = 1");
            shard.Connection.Execute("UPDATE blob_chunks SET chunk_index = 1 WHERE chunk_index = -1");
        }

        var target = Path.Join(context.TempPath, "a.bin");
        var error = Assert.Throws<BlobIntegrityException>(() => store.Blobs.Save("a", target, overwrite: false));

        Assert.Contains("BLAKE3", error.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Save_refuses_to_overwrite_unless_told_and_replaces_when_told()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Blobs.Add("a", new MemoryStream(Encoding.UTF8.GetBytes("new content")));
        var target = WriteFile(context, "a.txt", Encoding.UTF8.GetBytes("old content"));

        Assert.Throws<IOException>(() => store.Blobs.Save("a", target, overwrite: false));
        Assert.Equal("old content", File.ReadAllText(target));

        store.Blobs.Save("a", target, overwrite: true);
        Assert.Equal("new content", File.ReadAllText(target));
        Assert.Equal(["a.txt"], Directory.GetFiles(context.TempPath).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_blob_is_reported_by_name_and_Save_writes_nothing()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var target = Path.Join(context.TempPath, "missing.bin");

        var error = Assert.Throws<BlobNotFoundException>(() => store.Blobs.Get("missing/report.pdf"));
        Assert.Contains("'missing/report.pdf'", error.Message);
        Assert.Throws<BlobNotFoundException>(() => store.Blobs.OpenRead("missing/report.pdf"));
        Assert.Throws<BlobNotFoundException>(() => store.Blobs.Save("missing/report.pdf", target, overwrite: false));
        Assert.Throws<BlobNotFoundException>(() => store.Blobs.GetById(12345));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Listing_returns_every_blob_across_shards_by_name_and_filters_by_prefix()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 4);
        var names = Enumerable.Range(0, 24).Select(index => (index % 2 == 0 ? "logs/" : "images/") + $"item-{index:D2}").ToList();
        foreach (var name in names)
        {
            store.Blobs.Add(name, new MemoryStream(Encoding.UTF8.GetBytes("content of " + name)));
        }

        var all = store.Blobs.List();
        var logs = store.Blobs.List("logs/");

        Assert.Equal(names.Order(StringComparer.Ordinal), all.Select(blob => blob.Name));
        Assert.True(all.Select(blob => blob.Shard).Distinct().Count() > 1);
        Assert.Equal(names.Where(name => name.StartsWith("logs/")).Order(StringComparer.Ordinal), logs.Select(blob => blob.Name));
    }

    [Fact]
    public void Subject_and_sensitive_metadata_are_kept_with_the_blob()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        store.Blobs.Add("contracts/alice.pdf", new MemoryStream(Encoding.UTF8.GetBytes("contract")), new BlobAddOptions
        {
            ContentType = "application/pdf",
            Subject = "user-42",
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = "alice@example.com", ["department"] = "legal" },
        });

        var blob = store.Blobs.Get("contracts/alice.pdf");

        Assert.Equal("user-42", blob.Subject);
        Assert.Equal(["email"], blob.SensitiveFields);
        Assert.Equal("alice@example.com", blob.Metadata["email"]);
        Assert.Equal("legal", blob.Metadata["department"]);
        Assert.Equal("application/pdf", blob.ContentType);
    }

    [Fact]
    public void No_plaintext_of_a_blob_or_its_name_is_in_the_database_files()
    {
        using var context = new StoreTestContext();
        var text = string.Concat(Enumerable.Repeat(Marker + " quarterly figures for alice@example.com\n", 20_000));
        using (var store = context.Create(blobShards: 2))
        {
            store.Blobs.Add("secret-board-minutes.txt", new MemoryStream(Encoding.UTF8.GetBytes(text)), new BlobAddOptions { ContentType = "text/plain" });
            store.Blobs.Add("mixed.bin", new MemoryStream(MixedContent(seed: 8, mebibytes: 1)));
        }

        var files = Directory.GetFiles(context.Root, "*.redb*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("secret-board-minutes")));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("alice@example")));
        }
    }

    [Theory]
    [InlineData("", "Name")]
    [InlineData(" leading", "Name")]
    [InlineData("bad\nname", "Name")]
    public void Bad_blob_names_are_refused_with_the_field_named(string name, string field)
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var error = Assert.Throws<StoreValidationException>(() => store.Blobs.Add(name, new MemoryStream([1, 2, 3])));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Sensitive_fields_without_a_subject_are_refused_and_nothing_is_stored()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        var error = Assert.Throws<StoreValidationException>(() => store.Blobs.Add("a", new MemoryStream([1, 2, 3]), new BlobAddOptions
        {
            SensitiveFields = ["email"],
            Metadata = new Dictionary<string, string> { ["email"] = "x@example.com" },
        }));

        Assert.Equal("SensitiveFields", error.Field);
        Assert.Equal(0, Count(store, "chunks"));
    }

    [Fact]
    public void A_cancelled_add_leaves_the_store_unchanged()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        store.Blobs.Add("a", new MemoryStream(MixedContent(seed: 9, mebibytes: 1)));
        var before = Count(store, "chunks");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => store.Blobs.Add("a", new MemoryStream(MixedContent(seed: 10, mebibytes: 2)), cancellationToken: cancellation.Token));

        Assert.Equal(before, Count(store, "chunks"));
        Assert.Equal(MixedContent(seed: 9, mebibytes: 1), ReadAll(store, "a"));
    }

    [Fact]
    public void A_non_seekable_stream_with_short_reads_is_added_whole()
    {
        using var context = new StoreTestContext();
        using var store = context.Create();
        var content = MixedContent(seed: 11, mebibytes: 5);

        var added = store.Blobs.Add("piped", new TrickleStream(content, readSize: 1000));

        Assert.Equal(content.Length, added.Size);
        Assert.Equal(ObjectNames.ToHex(Blake3.Hash(content)), added.Checksum);
        Assert.Equal(content, ReadAll(store, "piped"));
    }

    [Fact]
    public void A_reader_keeps_seeing_the_content_it_opened_while_the_blob_is_replaced()
    {
        using var context = new StoreTestContext();
        using var store = context.Create(blobShards: 1);
        var original = MixedContent(seed: 12, mebibytes: 3);
        store.Blobs.Add("a", new MemoryStream(original));

        using var stream = store.Blobs.OpenRead("a");
        var head = new byte[1000];
        stream.ReadExactly(head);
        store.Blobs.Add("a", new MemoryStream(MixedContent(seed: 13, mebibytes: 3)));
        using var rest = new MemoryStream();
        stream.CopyTo(rest);

        Assert.Equal(original, head.Concat(rest.ToArray()).ToArray());
        Assert.Equal(MixedContent(seed: 13, mebibytes: 3), ReadAll(store, "a"));
    }

    /// <summary>Random mebibytes alternating with a repeated text pattern, so content is part incompressible and part compressible.</summary>
    private static byte[] MixedContent(int seed, int mebibytes)
    {
        var random = new Random(seed);
        var content = new byte[mebibytes * 1024 * 1024];
        var pattern = Encoding.UTF8.GetBytes($"line {seed}: the quick brown fox jumps over the lazy dog 0123456789\n");
        for (var offset = 0; offset < content.Length; offset += 512 * 1024)
        {
            var part = content.AsSpan(offset, Math.Min(512 * 1024, content.Length - offset));
            if (offset / (512 * 1024) % 2 == 0)
            {
                random.NextBytes(part);
            }
            else
            {
                for (var index = 0; index < part.Length; index++)
                {
                    part[index] = pattern[index % pattern.Length];
                }
            }
        }

        return content;
    }

    /// <summary>A forward-only stream that hands out at most a few bytes per read, like a pipe.</summary>
    private sealed class TrickleStream(byte[] content, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var length = Math.Min(Math.Min(count, readSize), content.Length - _position);
            content.AsSpan(_position, length).CopyTo(buffer.AsSpan(offset));
            _position += length;
            return length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static string WriteFile(StoreTestContext context, string name, byte[] content)
    {
        var path = Path.Join(context.TempPath, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] ReadAll(ForgeStore store, string name)
    {
        using var stream = store.Blobs.OpenRead(name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static long Count(ForgeStore store, string table) => Scalar(store, $"SELECT count(*) FROM {table}");

    private static long CountDistinctChunks(ForgeStore store, long blobId) => Scalar(store, $"SELECT count(DISTINCT chunk) FROM blob_chunks WHERE blob_id = {blobId}");

    private static long Scalar(ForgeStore store, string sql)
    {
        long total = 0;
        foreach (var database in store.Layout.Shards(StoreDatabaseKind.Blobs))
        {
            using var shard = store.OpenShard(database);
            total += (long)shard.Connection.Scalar(sql)!;
        }

        return total;
    }
}
