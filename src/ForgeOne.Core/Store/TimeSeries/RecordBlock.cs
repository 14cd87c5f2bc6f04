using System.Globalization;
using ForgeOne.Core.Store.Records;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// A block of time-series records (log entries, events) of one topic, sealed as one value of the record table
/// under the key of its first record. Block plaintext, layout 1:
/// <c>1:u8 || count:varint || count × (idDelta:varint || length:varint || record)</c>, where each record is what
/// the codec serialized and <c>idDelta</c> is the record id minus the previous record's id (the first one minus
/// the block key, so 0).
/// </summary>
/// <remarks>
/// <para>Sealing up to 128 records together amortizes the nonce, tag, session and SQLite row of a value over all of them
/// and lets zstd use what neighbouring lines share; per record, a log entry costs about a third of its sealed size
/// alone.</para>
/// <para>A block's records are in (timestamp, id) order: the writer sorts a batch's records of a topic by time before
/// numbering them, and retention only removes the oldest. The index row of a block (<c>log_index</c>,
/// <c>event_index</c>) holds its first and last timestamp and id and its count.</para>
/// <para>Invariants: ids strictly increase inside a block, and the id ranges of a table's blocks never interleave
/// (a block's records were given consecutive ids, and retention only removes records), so the block holding id X is
/// the one with the largest key not above X.</para>
/// </remarks>
internal sealed class RecordBlock
{
    /// <summary>The block layout this build reads and writes.</summary>
    public const byte Layout = 1;

    /// <summary>Most records in one block: 128 (64 measured 1 byte per log entry larger; a writer's batch rarely holds more of one topic).</summary>
    public const int MaxRecords = 128;

    /// <summary>A block takes no further record once its records' plaintext would exceed this (32 KiB).</summary>
    public const int MaxPlaintextBytes = 32 * 1024;

    /// <summary>
    /// The longest time one block may cover, in microseconds: one hour. A query must open every block that may hold
    /// its first records, so it starts its index scan this far (or the topic's longest span, if shorter) before its
    /// start; a writer that batches an hour of a sparse topic still gets blocks of many records.
    /// </summary>
    public const long MaxSpanMicros = 3_600_000_000;

    private readonly long[] _ids;
    private byte[] _plaintext;
    private int _rentedLength = -1;
    private readonly int[] _offsets;
    private readonly int[] _lengths;

    private RecordBlock(long key, byte[] plaintext, long[] ids, int[] offsets, int[] lengths)
    {
        Key = key;
        _plaintext = plaintext;
        _ids = ids;
        _offsets = offsets;
        _lengths = lengths;
    }

    /// <summary>The block's key: the id of its first record.</summary>
    public long Key { get; }

    /// <summary>How many records the block holds.</summary>
    public int Count => _ids.Length;

    /// <summary>The largest record id in the block.</summary>
    public long LastId => _ids[^1];

    /// <summary>The id of record <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    /// <returns>The id.</returns>
    public long IdAt(int index) => _ids[index];

    /// <summary>The timestamp of record <paramref name="index"/>, in Unix microseconds.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    /// <returns>The timestamp its codec wrote at the head of the record.</returns>
    /// <exception cref="InvalidDataException">The record is too short to hold one.</exception>
    public long TimestampAt(int index) => RecordHead.TimestampMicros(RecordAt(index));

    /// <summary>The serialized record <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    /// <returns>The codec's plaintext of the record.</returns>
    public ReadOnlySpan<byte> RecordAt(int index) => _plaintext.AsSpan(_offsets[index], _lengths[index]);

    /// <summary>Where record <paramref name="id"/> is in the block.</summary>
    /// <param name="id">A record id.</param>
    /// <returns>Its index, or −1 when the block does not hold it.</returns>
    public int IndexOf(long id)
    {
        var index = Array.BinarySearch(_ids, id);
        return index >= 0 ? index : -1;
    }

    /// <summary>Writes a block's header; the entries follow (<see cref="WriteEntry"/>).</summary>
    /// <param name="writer">The block's writer, reset.</param>
    /// <param name="count">How many records follow.</param>
    public static void WriteHeader(RecordWriter writer, int count)
    {
        writer.WriteByte(Layout);
        writer.WriteVarInt((ulong)count);
    }

    /// <summary>Writes one record's entry.</summary>
    /// <param name="writer">The block's writer.</param>
    /// <param name="idDelta">The id minus the previous record's id, 0 for the first.</param>
    /// <param name="record">The serialized record.</param>
    public static void WriteEntry(RecordWriter writer, long idDelta, ReadOnlySpan<byte> record)
    {
        writer.WriteVarInt((ulong)idDelta);
        writer.WriteVarInt((ulong)record.Length);
        writer.WriteRaw(record);
    }

    /// <summary>Opens a sealed block and decodes its layout.</summary>
    /// <param name="shard">The shard it was read from.</param>
    /// <param name="table">The record table.</param>
    /// <param name="key">The block's key (its row id).</param>
    /// <param name="value">The sealed value.</param>
    /// <returns>The block.</returns>
    /// <exception cref="RecordIntegrityException">The value fails to open or its layout is malformed.</exception>
    public static RecordBlock Open(StoreShard shard, string table, long key, ReadOnlySpan<byte> value)
    {
        var describe = "block " + key.ToString(CultureInfo.InvariantCulture);
        var plaintext = shard.Cipher.Open(table, RecordFormat.Key(key), value, describe);
        try
        {
            return Decode(key, plaintext);
        }
        catch (InvalidDataException ex)
        {
            throw new RecordIntegrityException(shard.Database.FileName, table, describe, ex.Message, ex);
        }
    }

    /// <summary>
    /// Opens a sealed block into a pooled buffer, for a reader that is done with it within one call: it must
    /// <see cref="Release"/> the block, after which the block's records are gone.
    /// </summary>
    /// <param name="shard">The shard it was read from.</param>
    /// <param name="table">The record table.</param>
    /// <param name="key">The block's key (its row id).</param>
    /// <param name="value">The sealed value.</param>
    /// <returns>The block.</returns>
    /// <exception cref="RecordIntegrityException">The value fails to open or its layout is malformed.</exception>
    public static RecordBlock OpenRented(StoreShard shard, string table, long key, ReadOnlySpan<byte> value)
    {
        var describe = "block " + key.ToString(CultureInfo.InvariantCulture);
        var plaintext = shard.Cipher.OpenRented(table, RecordFormat.Key(key), value, describe, out var length);
        try
        {
            var block = Decode(key, plaintext, length);
            block._rentedLength = length;
            return block;
        }
        catch (InvalidDataException ex)
        {
            ShardCipher.ReturnRented(plaintext, length);
            throw new RecordIntegrityException(shard.Database.FileName, table, describe, ex.Message, ex);
        }
    }

    /// <summary>The damage of an index row whose block is not in the record table.</summary>
    /// <param name="shard">The shard.</param>
    /// <param name="table">The record table (<c>logs</c>, <c>events</c>).</param>
    /// <param name="indexTable">Its index table.</param>
    /// <param name="key">The block key the row names.</param>
    /// <returns>The exception to throw.</returns>
    public static RecordIntegrityException Missing(StoreShard shard, string table, string indexTable, long key) =>
        new(shard.Database.FileName, table, "block " + key.ToString(CultureInfo.InvariantCulture),
            $"its {indexTable} row points at a block that is not there");

    /// <summary>Clears and returns the pooled plaintext of a block from <see cref="OpenRented"/>; does nothing for others.</summary>
    public void Release()
    {
        if (_rentedLength < 0)
        {
            return;
        }

        ShardCipher.ReturnRented(_plaintext, _rentedLength);
        _plaintext = [];
        _rentedLength = -1;
    }

    /// <summary>Decodes an opened block's layout.</summary>
    /// <param name="key">The block's key.</param>
    /// <param name="plaintext">The opened value.</param>
    /// <returns>The block.</returns>
    /// <exception cref="InvalidDataException">The layout is unknown or malformed.</exception>
    public static RecordBlock Decode(long key, byte[] plaintext) => Decode(key, plaintext, plaintext.Length);

    private static RecordBlock Decode(long key, byte[] plaintext, int length)
    {
        var reader = new RecordReader(plaintext.AsSpan(0, length));
        var layout = reader.ReadByte();
        if (layout != Layout)
        {
            throw new InvalidDataException($"block layout {layout} is unknown to this build");
        }

        // Each entry takes at least 2 bytes, which bounds the count before anything is allocated for it.
        var count = reader.ReadVarInt();
        if (count == 0 || count > (ulong)length / 2)
        {
            throw new InvalidDataException("the block's record count does not fit the block");
        }

        var ids = new long[count];
        var offsets = new int[count];
        var lengths = new int[count];
        var id = key;
        for (var index = 0; index < ids.Length; index++)
        {
            var delta = reader.ReadVarInt();
            if ((index == 0) != (delta == 0) || delta > long.MaxValue / 2)
            {
                throw new InvalidDataException("the block's record ids are not in order from its key");
            }

            id += (long)delta;
            ids[index] = id;
            var recordLength = reader.ReadVarInt();
            var start = length - reader.Remaining;
            if (recordLength > (ulong)reader.Remaining)
            {
                throw new InvalidDataException("a record is longer than its block");
            }

            reader.Skip((int)recordLength);
            offsets[index] = start;
            lengths[index] = (int)recordLength;
        }

        return reader.End
            ? new RecordBlock(key, plaintext, ids, offsets, lengths)
            : throw new InvalidDataException("the block has bytes after its last record");
    }
}
