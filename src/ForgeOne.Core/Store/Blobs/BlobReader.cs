using System.Globalization;
using ForgeOne.Core.Crypto;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// Reads one blob's chunks in order inside a read transaction, checking each chunk against its checksum and, after
/// the last, the whole content against the blob's size and checksum.
/// </summary>
/// <remarks>
/// The read transaction pins one snapshot of the shard (WAL), so a concurrent replace or remove of the same blob
/// cannot pull chunks away mid-read. Owns the shard connection; not thread-safe.
/// </remarks>
internal sealed class BlobReader : IDisposable
{
    private readonly StoreShard _shard;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _select;
    private readonly SqliteParameter _index;
    private readonly Blake3Hasher _hasher = Blake3Hasher.Create();
    private int _next;
    private long _read;
    private bool _verified;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="shard"/> and <paramref name="transaction"/>.</summary>
    public BlobReader(StoreShard shard, SqliteTransaction transaction, BlobMetadata metadata)
    {
        _shard = shard;
        _transaction = transaction;
        Metadata = metadata;
        _select = shard.Connection.CreateCommand();
        _select.Transaction = transaction;
        _select.CommandText = "SELECT b.chunk, c.value FROM blob_chunks b LEFT JOIN chunks c ON c.id = b.chunk WHERE b.blob_id = $blob AND b.chunk_index = $index";
        _select.Parameters.AddWithValue("$blob", metadata.Id);
        _index = _select.Parameters.Add("$index", SqliteType.Integer);
    }

    /// <summary>The blob being read.</summary>
    public BlobMetadata Metadata { get; }

    /// <summary>The next chunk, checked; null after the last, once the whole content has been checked.</summary>
    /// <exception cref="BlobIntegrityException">A chunk or the whole content is damaged.</exception>
    public BlobChunk? Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_next >= Metadata.ChunkCount)
        {
            VerifyWhole();
            return null;
        }

        _index.Value = _next;
        byte[] chunkId;
        byte[]? value;
        using (var reader = _select.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"chunk {_next} of {Metadata.ChunkCount} is missing from blob_chunks"), null);
            }

            chunkId = (byte[])reader.GetValue(0);
            value = reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1);
        }

        if (value is null)
        {
            throw Damaged(string.Create(CultureInfo.InvariantCulture, $"chunk {_next} ({ObjectNames.ToHex(chunkId)}) is missing from the chunks table"), null);
        }

        ReadOnlyMemory<byte> data;
        string checksum;
        try
        {
            var plaintext = _shard.Cipher.Open(BlobRecords.ChunkTable, chunkId, value, "chunk " + ObjectNames.ToHex(chunkId));
            (data, checksum) = BlobRecords.ReadChunk(plaintext);
        }
        catch (Exception ex) when (ex is RecordIntegrityException or InvalidDataException)
        {
            throw Damaged(string.Create(CultureInfo.InvariantCulture,
                $"chunk {_next} of {Metadata.ChunkCount} ({ObjectNames.ToHex(chunkId)}) {(ex is InvalidDataException ? ex.Message.Replace("the chunk ", "", StringComparison.Ordinal) : "failed authentication or does not decompress")}"), ex);
        }

        _hasher.Update(data.Span);
        _read += data.Length;
        return new BlobChunk { BlobId = Metadata.Id, ChunkIndex = _next++, Data = data, Checksum = checksum };
    }

    /// <summary>Ends the read transaction and closes the shard.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _select.Dispose();
        _transaction.Dispose();
        _shard.Dispose();
        _hasher.Dispose();
    }

    private void VerifyWhole()
    {
        if (_verified)
        {
            return;
        }

        var checksum = _hasher.FinalizeHex();
        if (_read != Metadata.Size || checksum != Metadata.Checksum)
        {
            throw Damaged(string.Create(CultureInfo.InvariantCulture,
                $"its content reads back as {_read} bytes with BLAKE3 {checksum}, but it was added as {Metadata.Size} bytes with BLAKE3 {Metadata.Checksum}"), null);
        }

        _verified = true;
    }

    private BlobIntegrityException Damaged(string problem, Exception? inner) =>
        new(Metadata.Name, Metadata.Id, _shard.Database.FileName, problem, inner);
}
