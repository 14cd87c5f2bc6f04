using System.Globalization;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Store.Keys;
using ForgeOne.Core.Store.Records;
using ForgeOne.Core.Store.TimeSeries;
using Microsoft.Data.Sqlite;

namespace ForgeOne.Core.Store.Blobs;

/// <summary>
/// The plaintext layouts of a blobs shard's sealed values.
/// </summary>
/// <remarks>
/// <para><c>blob_metadata</c> (key: the id's 8 bytes), layout 1: <c>1:u8 || name:str || contentType:str ||
/// size:varint || createdAt:zigzag(µs) || createdBy:str || checksum:bytes(32) || flags:u8 (bit 0 compressed) ||
/// chunkCount:varint || metadata:map || subject part</c> (<see cref="SubjectFields"/>).</para>
/// <para><c>chunks</c> (key: the 32-byte chunk id <c>ContentId(data)</c>), layout 1: <c>1:u8 || checksum[32] ||
/// data</c>, where the checksum is the unkeyed BLAKE3 of the data. Sealed without the shard dictionary, which is
/// trained on small records and does nothing for file content.</para>
/// </remarks>
internal static class BlobRecords
{
    public const string MetadataTable = "blob_metadata";
    public const string ChunkTable = "chunks";
    public const int ChecksumLength = Blake3.HashSize;

    private const byte Layout = 1;

    /// <summary>Bytes a stored (uncompressed) chunk value adds to its plaintext at least: format, session, nonce, codec, tag.</summary>
    private const int StoredOverhead = 1 + 1 + RecordFormat.NonceLength + 1 + RecordFormat.TagLength;

    /// <summary>Bytes of a chunk value's plaintext for <paramref name="dataLength"/> bytes of data.</summary>
    public static int ChunkPlaintextLength(int dataLength) => 1 + ChecksumLength + dataLength;

    /// <summary>Writes a chunk value's plaintext into <paramref name="destination"/>.</summary>
    public static void WriteChunk(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        destination[0] = Layout;
        Blake3.Hash(data, destination.Slice(1, ChecksumLength));
        data.CopyTo(destination[(1 + ChecksumLength)..]);
    }

    /// <summary>Whether a sealed value of <paramref name="sealedLength"/> bytes holds a compressed body of <paramref name="plaintextLength"/> bytes.</summary>
    public static bool IsCompressed(long sealedLength, int plaintextLength) => sealedLength < plaintextLength + StoredOverhead;

    /// <summary>Splits and checks a chunk value's plaintext.</summary>
    /// <returns>The data and its checksum as hex.</returns>
    /// <exception cref="InvalidDataException">The layout is unknown or the data does not match its checksum.</exception>
    public static (ReadOnlyMemory<byte> Data, string Checksum) ReadChunk(byte[] plaintext)
    {
        if (plaintext.Length < 1 + ChecksumLength || plaintext[0] != Layout)
        {
            throw new InvalidDataException(plaintext.Length == 0 ? "the chunk is empty" : $"chunk layout {plaintext[0]} is unknown to this build");
        }

        var data = plaintext.AsMemory(1 + ChecksumLength);
        Span<byte> actual = stackalloc byte[ChecksumLength];
        Blake3.Hash(data.Span, actual);
        var expected = plaintext.AsSpan(1, ChecksumLength);
        return actual.SequenceEqual(expected)
            ? (data, ObjectNames.ToHex(expected))
            : throw new InvalidDataException("the chunk does not match its checksum");
    }

    /// <summary>Serializes a blob's metadata into <paramref name="writer"/>.</summary>
    public static void WriteMetadata(BlobMetadata blob, ReadOnlySpan<byte> checksum, RecordWriter writer, SubjectVault vault)
    {
        writer.WriteByte(Layout);
        writer.WriteString(blob.Name);
        writer.WriteString(blob.ContentType);
        writer.WriteVarInt((ulong)blob.Size);
        writer.WriteInt64(IndexPosition.Micros(blob.CreatedAt));
        writer.WriteString(blob.CreatedBy);
        writer.WriteBytes(checksum);
        writer.WriteByte(blob.Compressed ? (byte)1 : (byte)0);
        writer.WriteVarInt((ulong)blob.ChunkCount);
        SubjectFields.WriteMetadata(writer, vault, MetadataTable, RecordFormat.Key(blob.Id), blob.Metadata, blob.Subject, blob.SensitiveFields);
    }

    /// <summary>Reads the metadata of blob <paramref name="id"/>, or null when the shard has no such row.</summary>
    /// <exception cref="RecordIntegrityException">The row does not open or parse.</exception>
    public static BlobMetadata? ReadMetadata(StoreShard shard, long id, SubjectVault vault, SqliteTransaction? transaction)
    {
        using var command = shard.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM blob_metadata WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is byte[] value ? OpenMetadata(shard, id, value, vault) : null;
    }

    /// <summary>Opens and parses a <c>blob_metadata</c> value.</summary>
    /// <exception cref="RecordIntegrityException">The value does not open or parse.</exception>
    public static BlobMetadata OpenMetadata(StoreShard shard, long id, byte[] value, SubjectVault vault)
    {
        var describe = id.ToString(CultureInfo.InvariantCulture);
        var key = RecordFormat.Key(id);
        var plaintext = shard.Cipher.Open(MetadataTable, key, value, describe);
        try
        {
            var reader = new RecordReader(plaintext);
            var layout = reader.ReadByte();
            if (layout != Layout)
            {
                throw new InvalidDataException($"blob metadata layout {layout} is unknown to this build");
            }

            var name = reader.ReadString();
            var contentType = reader.ReadString();
            var size = (long)reader.ReadVarInt();
            var createdAt = IndexPosition.FromMicros(reader.ReadInt64());
            var createdBy = reader.ReadString();
            var checksum = reader.ReadBytes();
            var flags = reader.ReadByte();
            var chunkCount = (int)reader.ReadVarInt();
            var (metadata, subject, sensitive, erased) = SubjectFields.ReadMetadata(ref reader, vault, MetadataTable, key);

            return new BlobMetadata
            {
                Id = id,
                Shard = shard.Database.Shard,
                Name = name,
                ContentType = contentType,
                Size = size,
                CreatedAt = createdAt,
                CreatedBy = createdBy.Length == 0 ? null : createdBy,
                Checksum = ObjectNames.ToHex(checksum),
                Compressed = (flags & 1) != 0,
                ChunkCount = chunkCount,
                Metadata = metadata,
                Subject = subject,
                SensitiveFields = sensitive,
                SubjectErased = erased,
            };
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(shard.Database.FileName, MetadataTable, describe, ex.Message, ex);
        }
    }
}
