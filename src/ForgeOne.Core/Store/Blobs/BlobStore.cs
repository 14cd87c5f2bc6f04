using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using ForgeOne.Core.Chunking;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// The blobs of a store: content streamed in, cut into content-defined chunks stored once per shard, and streamed
/// back out checked.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> A blob lives in shard <c>Tag128("blob", name) mod BlobShards</c>. <c>blob_index</c> maps the
/// name's tag to the blob's id, <c>blob_metadata</c> holds its sealed <see cref="BlobMetadata"/>,
/// <c>blob_chunks</c> lists its chunk ids in order, and <c>chunks</c> holds each distinct chunk once, sealed, with
/// <c>refs</c> counting the <c>blob_chunks</c> rows that point at it (see <see cref="BlobRecords"/>).</para>
/// <para><b>Chunking.</b> FastCDC with 64 KiB minimum, 256 KiB average and 1 MiB maximum chunks, sizes that keep
/// SQLite rows reasonable; the gear table is keyed by the store, and chunk ids are keyed BLAKE3
/// (<see cref="Keys.StoreKeys.ContentId"/>), so neither boundaries nor ids reveal known content. Adding holds at
/// most two maximum-size chunks of the content in memory, reading holds one.</para>
/// <para><b>Replace.</b> Adding under a name that exists replaces the blob in the same transaction: the new content
/// gets a new id, then the old blob's chunk references are released and chunks left with none are deleted. Readers
/// see the old blob or the new one, never a mix; the id changes so that an id always names one content. The whole
/// add is one write transaction on the shard, so other writers of that shard wait while a large blob streams in.</para>
/// <para>Thread-safety: safe from several threads; each call opens its own connection.</para>
/// </remarks>
public sealed class BlobStore
{
    /// <summary>Chunk sizes of the blob chunker: 64 KiB minimum, 256 KiB average, 1 MiB maximum.</summary>
    public static readonly ChunkerOptions ChunkSizes = new(64 * 1024, 256 * 1024, 1024 * 1024);

    private readonly ForgeStore _store;
    private readonly Lazy<FastCdcChunker> _chunker;

    internal BlobStore(ForgeStore store)
    {
        _store = store;
        _chunker = new Lazy<FastCdcChunker>(CreateChunker);
    }

    /// <summary>
    /// Adds a blob, reading <paramref name="content"/> to its end; replaces a blob of the same name atomically.
    /// </summary>
    /// <param name="name">The name, 1 to 1024 characters.</param>
    /// <param name="content">The content, read from its current position; left open.</param>
    /// <param name="options">Content type, creator, metadata and subject; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the add, which then leaves the store unchanged.</param>
    /// <returns>The new blob's metadata.</returns>
    /// <exception cref="StoreValidationException">The name or an option breaks an input rule.</exception>
    /// <exception cref="OperationCanceledException">The add was cancelled; nothing was stored.</exception>
    public BlobMetadata Add(string name, Stream content, BlobAddOptions? options = null, CancellationToken cancellationToken = default)
    {
        Validation.BlobName(name);
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobAddOptions();
        Validation.Label("ContentType", options.ContentType);
        Validation.Label("CreatedBy", options.CreatedBy);
        Validation.Metadata(options.Metadata);
        Validation.Subject(options.Subject, options.SensitiveFields, options.Metadata);

        var tag = _store.Keys.Tag128("blob", name);
        var database = ShardOf(tag);
        using var shard = _store.OpenShard(database);
        var transaction = shard.BeginWrite();
        try
        {
            var ids = new RecordIds(database.Shard);
            ids.Seed((long)shard.Connection.Scalar("SELECT coalesce(max(id), 0) FROM blob_metadata", transaction)!);
            var id = ids.Next();
            var (size, checksum, chunkCount, compressed) = StoreChunks(shard, transaction, id, content, cancellationToken);

            var previous = FindId(shard, tag, transaction);
            if (previous is { } old)
            {
                Release(shard, transaction, old);
            }

            var blob = new BlobMetadata
            {
                Id = id,
                Shard = database.Shard,
                Name = name,
                ContentType = options.ContentType ?? BlobAddOptions.DefaultContentType,
                Size = size,
                CreatedAt = Validation.Timestamp(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
                CreatedBy = options.CreatedBy ?? Environment.UserName,
                Checksum = ObjectNames.ToHex(checksum),
                Compressed = compressed,
                ChunkCount = chunkCount,
                Metadata = options.Metadata,
                Subject = options.Subject,
                SensitiveFields = options.SensitiveFields,
            };
            var writer = new RecordWriter();
            BlobRecords.WriteMetadata(blob, checksum, writer, _store.Subjects);
            using (var insert = shard.Connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO blob_metadata (id, epoch, value) VALUES ($id, $epoch, $value); "
                    + "INSERT INTO blob_index (name, id) VALUES ($name, $id) ON CONFLICT (name) DO UPDATE SET id = excluded.id";
                insert.Parameters.AddWithValue("$id", id);
                insert.Parameters.AddWithValue("$epoch", shard.Cipher.Epoch);
                insert.Parameters.AddWithValue("$value", shard.Cipher.Seal(BlobRecords.MetadataTable, RecordFormat.Key(id), writer.WrittenSpan, transaction));
                insert.Parameters.AddWithValue("$name", tag);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return blob with { SensitiveFields = [.. blob.SensitiveFields.Order(StringComparer.Ordinal)] };
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }

    /// <summary>The metadata of the blob named <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="BlobNotFoundException">There is no such blob.</exception>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public BlobMetadata Get(string name)
    {
        Validation.BlobName(name);
        var tag = _store.Keys.Tag128("blob", name);
        using var shard = _store.OpenShard(ShardOf(tag));
        return Find(shard, tag, name, null) ?? throw new BlobNotFoundException(name);
    }

    /// <summary>The metadata of the blob with id <paramref name="id"/>.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="BlobNotFoundException">There is no such blob (removed, or replaced under a new id).</exception>
    public BlobMetadata GetById(long id)
    {
        var shardNumber = RecordIds.ShardOf(id);
        if (id <= 0 || shardNumber >= _store.Layout.BlobShards)
        {
            throw new BlobNotFoundException(id);
        }

        using var shard = _store.OpenShard(new StoreDatabase(StoreDatabaseKind.Blobs, shardNumber));
        return BlobRecords.ReadMetadata(shard, id, _store.Subjects, null) ?? throw new BlobNotFoundException(id);
    }

    /// <summary>The metadata of every blob, or of those whose name starts with <paramref name="prefix"/>, by name.</summary>
    /// <param name="prefix">A case-sensitive name prefix; null or empty for all.</param>
    /// <returns>The blobs, ordered by name (ordinal).</returns>
    public IReadOnlyList<BlobMetadata> List(string? prefix = null)
    {
        var blobs = new List<BlobMetadata>();
        foreach (var database in _store.Layout.Shards(StoreDatabaseKind.Blobs))
        {
            using var shard = _store.OpenShard(database);
            using var command = shard.Connection.CreateCommand();
            command.CommandText = "SELECT id, value FROM blob_metadata ORDER BY id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var blob = BlobRecords.OpenMetadata(shard, reader.GetInt64(0), (byte[])reader.GetValue(1), _store.Subjects);
                if (string.IsNullOrEmpty(prefix) || blob.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    blobs.Add(blob);
                }
            }
        }

        blobs.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        return blobs;
    }

    /// <summary>Opens a blob's content for reading, one checked chunk at a time.</summary>
    /// <param name="name">The name.</param>
    /// <returns>A forward-only stream; dispose it. Reads throw <see cref="BlobIntegrityException"/> on damaged content,
    /// including at the end when the whole content does not match the blob's checksum.</returns>
    /// <exception cref="BlobNotFoundException">There is no such blob.</exception>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public Stream OpenRead(string name) => new BlobReadStream(OpenReader(name));

    /// <summary>Reads a blob's chunks in order, each checked against its checksum.</summary>
    /// <param name="name">The name.</param>
    /// <returns>
    /// The chunks; the enumeration ends after the whole content has been checked. The shard is opened when the
    /// enumeration starts and closed when it ends or is disposed.
    /// </returns>
    /// <exception cref="BlobNotFoundException">There is no such blob.</exception>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public IEnumerable<BlobChunk> ReadChunks(string name)
    {
        // Looked up now so that a wrong name fails at the call, not at the first MoveNext.
        Get(name);
        return Enumerate(name);
    }

    /// <summary>
    /// Saves a blob's content to a file: written under a temporary name in the same folder, checked, then renamed,
    /// so the final name never holds a partial or unchecked file.
    /// </summary>
    /// <param name="name">The blob's name.</param>
    /// <param name="path">The file to write; its folder is created if missing.</param>
    /// <param name="overwrite">True to replace an existing file.</param>
    /// <param name="cancellationToken">Cancels the save, leaving no file behind.</param>
    /// <returns>The file written.</returns>
    /// <exception cref="BlobNotFoundException">There is no such blob.</exception>
    /// <exception cref="BlobIntegrityException">The blob's content is damaged; no file was written.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    public FileInfo Save(string name, string path, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"'{full}' is a folder. Give the path of the file to write, for example '{Path.Combine(full, Path.GetFileName(name))}'.");
        }

        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{full}' already exists. Pass overwrite (-Force) to replace it, or choose another path.");
        }

        using var source = OpenRead(name);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + Path.GetFileName(full) + ".forge-" + ObjectNames.ToHex(RandomNumberGenerator.GetBytes(4)) + ".tmp");
        try
        {
            using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
                try
                {
                    int read;
                    while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        target.Write(buffer, 0, read);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                target.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return new FileInfo(full);
    }

    /// <summary>Removes a blob and frees the chunks no other blob uses.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when there was such a blob.</returns>
    /// <exception cref="StoreValidationException">The name is malformed.</exception>
    public bool Remove(string name)
    {
        Validation.BlobName(name);
        var tag = _store.Keys.Tag128("blob", name);
        using var shard = _store.OpenShard(ShardOf(tag));
        using var transaction = shard.BeginWrite();
        if (FindId(shard, tag, transaction) is not { } id)
        {
            return false;
        }

        Release(shard, transaction, id);
        using (var command = shard.Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM blob_index WHERE name = $name";
            command.Parameters.AddWithValue("$name", tag);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return true;
    }

    private IEnumerable<BlobChunk> Enumerate(string name)
    {
        using var reader = OpenReader(name);
        while (reader.Next() is { } chunk)
        {
            yield return chunk;
        }
    }

    private static long? FindId(StoreShard shard, byte[] tag, SqliteTransaction? transaction)
    {
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM blob_index WHERE name = $name";
        command.Parameters.AddWithValue("$name", tag);
        return command.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>Drops a blob's metadata and chunk list and its references to chunks, deleting chunks left unreferenced.</summary>
    private static void Release(StoreShard shard, SqliteTransaction transaction, long id)
    {
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE chunks SET refs = refs - (SELECT count(*) FROM blob_chunks b WHERE b.blob_id = $id AND b.chunk = chunks.id)
                WHERE id IN (SELECT chunk FROM blob_chunks WHERE blob_id = $id);
            DELETE FROM chunks WHERE refs <= 0 AND id IN (SELECT chunk FROM blob_chunks WHERE blob_id = $id);
            DELETE FROM blob_chunks WHERE blob_id = $id;
            DELETE FROM blob_metadata WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a hidden temporary file is all that is left.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private BlobMetadata? Find(StoreShard shard, byte[] tag, string name, SqliteTransaction? transaction)
    {
        if (FindId(shard, tag, transaction) is not { } id)
        {
            return null;
        }

        var blob = BlobRecords.ReadMetadata(shard, id, _store.Subjects, transaction)
            ?? throw new RecordIntegrityException(shard.Database.FileName, BlobRecords.MetadataTable, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "blob_index points at a blob that is not there");

        // A 128-bit tag collision is not a practical concern; the check keeps a wrong blob from ever being returned.
        return blob.Name == name ? blob : null;
    }

    private BlobReader OpenReader(string name)
    {
        Validation.BlobName(name);
        var tag = _store.Keys.Tag128("blob", name);
        var shard = _store.OpenShard(ShardOf(tag));
        SqliteTransaction? transaction = null;
        try
        {
            transaction = shard.Connection.BeginTransaction(deferred: true);
            var blob = Find(shard, tag, name, transaction) ?? throw new BlobNotFoundException(name);
            return new BlobReader(shard, transaction, blob);
        }
        catch
        {
            transaction?.Dispose();
            shard.Dispose();
            throw;
        }
    }

    private (long Size, byte[] Checksum, int ChunkCount, bool Compressed) StoreChunks(
        StoreShard shard, SqliteTransaction transaction, long blobId, Stream content, CancellationToken cancellationToken)
    {
        using var addReference = shard.Connection.CreateCommand();
        addReference.Transaction = transaction;
        addReference.CommandText = "UPDATE chunks SET refs = refs + 1 WHERE id = $id RETURNING length(value)";
        var referenceId = addReference.Parameters.Add("$id", SqliteType.Blob);

        using var insertChunk = shard.Connection.CreateCommand();
        insertChunk.Transaction = transaction;
        insertChunk.CommandText = "INSERT INTO chunks (id, refs, epoch, value) VALUES ($id, 1, $epoch, $value)";
        var chunkId = insertChunk.Parameters.Add("$id", SqliteType.Blob);
        var chunkEpoch = insertChunk.Parameters.Add("$epoch", SqliteType.Integer);
        var chunkValue = insertChunk.Parameters.Add("$value", SqliteType.Blob);

        using var insertEntry = shard.Connection.CreateCommand();
        insertEntry.Transaction = transaction;
        insertEntry.CommandText = "INSERT INTO blob_chunks (blob_id, chunk_index, chunk) VALUES ($blob, $index, $chunk)";
        insertEntry.Parameters.AddWithValue("$blob", blobId);
        var entryIndex = insertEntry.Parameters.Add("$index", SqliteType.Integer);
        var entryChunk = insertEntry.Parameters.Add("$chunk", SqliteType.Blob);

        using var hasher = Blake3Hasher.Create();
        using var chunker = new StreamChunker(content, _chunker.Value, leaveOpen: true);
        var plaintext = ArrayPool<byte>.Shared.Rent(BlobRecords.ChunkPlaintextLength(ChunkSizes.MaximumSize));
        try
        {
            long size = 0;
            var index = 0;
            var compressed = false;
            while (chunker.ReadNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var data = chunker.Current.Span;
                hasher.Update(data);
                size += data.Length;
                var id = shard.Keys.ContentId(data);
                var plaintextLength = BlobRecords.ChunkPlaintextLength(data.Length);

                // Stored once per shard: a chunk already here only gains a reference.
                referenceId.Value = id;
                if (addReference.ExecuteScalar() is long storedLength)
                {
                    compressed |= BlobRecords.IsCompressed(storedLength, plaintextLength);
                }
                else
                {
                    BlobRecords.WriteChunk(data, plaintext);
                    var sealedValue = shard.Cipher.Seal(BlobRecords.ChunkTable, id, plaintext.AsSpan(0, plaintextLength), transaction, useDictionary: false);
                    compressed |= BlobRecords.IsCompressed(sealedValue.Length, plaintextLength);
                    chunkId.Value = id;
                    chunkEpoch.Value = shard.Cipher.Epoch;
                    chunkValue.Value = sealedValue;
                    insertChunk.ExecuteNonQuery();
                }

                entryIndex.Value = index++;
                entryChunk.Value = id;
                insertEntry.ExecuteNonQuery();
            }

            var checksum = new byte[Blake3.HashSize];
            hasher.Finalize(checksum);
            return (size, checksum, index, compressed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plaintext, clearArray: true);
        }
    }

    private StoreDatabase ShardOf(byte[] tag) =>
        new(StoreDatabaseKind.Blobs, (int)(BinaryPrimitives.ReadUInt64BigEndian(tag) % (ulong)_store.Layout.BlobShards));

    private FastCdcChunker CreateChunker()
    {
        var secret = _store.Keys.BlobChunkerSecret();
        try
        {
            return new FastCdcChunker(GearTable.FromSecret(secret), ChunkSizes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
