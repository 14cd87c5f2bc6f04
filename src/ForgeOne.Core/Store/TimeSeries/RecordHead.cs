using ForgeOne.Core.Store.Records;

namespace ForgeOne.Core.Store.TimeSeries;

/// <summary>
/// The head every time-series record's plaintext starts with: its codec's layout byte, then its timestamp in Unix
/// microseconds as a zigzag varint. Codecs write it first so that a reader finds the timestamps of a block's records
/// (to merge blocks that overlap in time) without deserializing the records.
/// </summary>
internal static class RecordHead
{
    /// <summary>Writes the head.</summary>
    /// <param name="writer">The record's writer, reset.</param>
    /// <param name="layout">The codec's layout version.</param>
    /// <param name="timestamp">The record's timestamp.</param>
    public static void Write(RecordWriter writer, byte layout, DateTimeOffset timestamp)
    {
        writer.WriteByte(layout);
        writer.WriteInt64(IndexPosition.Micros(timestamp));
    }

    /// <summary>The timestamp of a record.</summary>
    /// <param name="plaintext">The record as its codec wrote it.</param>
    /// <returns>Unix microseconds.</returns>
    /// <exception cref="InvalidDataException">The record is too short to hold a head.</exception>
    public static long TimestampMicros(ReadOnlySpan<byte> plaintext)
    {
        var reader = new RecordReader(plaintext);
        reader.ReadByte();
        return reader.ReadInt64();
    }
}
