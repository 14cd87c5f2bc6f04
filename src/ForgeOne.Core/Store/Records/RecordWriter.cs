using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// Serializes a record's fields into the compact binary form that gets compressed and sealed: varints,
/// length-prefixed UTF-8 strings and byte strings, and string maps in key order.
/// </summary>
/// <remarks>Reuse one writer per worker with <see cref="Reset"/>; not thread-safe.</remarks>
public sealed class RecordWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>How many bytes have been written.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _buffer.ResetWrittenCount();

    /// <summary>Writes an unsigned varint.</summary>
    /// <param name="value">The value.</param>
    public void WriteVarInt(ulong value) => _buffer.Advance(VarInt.Write(value, _buffer.GetSpan(VarInt.MaxLength)));

    /// <summary>Writes a signed 64-bit integer as a zigzag varint.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt64(long value) => WriteVarInt((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes one byte.</summary>
    /// <param name="value">The byte.</param>
    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    /// <summary>Writes a length-prefixed byte string.</summary>
    /// <param name="value">The bytes.</param>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarInt((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    /// <summary>Writes bytes as they are, without a length (for a layout that frames them itself).</summary>
    /// <param name="value">The bytes.</param>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    /// <summary>Writes a length-prefixed UTF-8 string; null and empty are the same.</summary>
    /// <param name="value">The string.</param>
    public void WriteString(string? value)
    {
        value ??= "";
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarInt((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>Writes a string map as a count and then its pairs in ordinal key order, so equal maps serialize equally.</summary>
    /// <param name="map">The map; null is empty.</param>
    public void WriteMap(IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            WriteVarInt(0);
            return;
        }

        // Keys in ordinal order, so a map always serializes the same way. Maps are small (at most 64 fields, usually
        // a few), so an insertion sort in a pooled array beats a LINQ sort, which this did for every record written.
        WriteVarInt((ulong)map.Count);
        var pairs = ArrayPool<KeyValuePair<string, string>>.Shared.Rent(map.Count);
        try
        {
            var count = 0;
            foreach (var pair in map)
            {
                var at = count++;
                while (at > 0 && string.CompareOrdinal(pairs[at - 1].Key, pair.Key) > 0)
                {
                    pairs[at] = pairs[at - 1];
                    at--;
                }

                pairs[at] = pair;
            }

            for (var index = 0; index < count; index++)
            {
                WriteString(pairs[index].Key);
                WriteString(pairs[index].Value);
            }
        }
        finally
        {
            ArrayPool<KeyValuePair<string, string>>.Shared.Return(pairs, clearArray: true);
        }
    }

    /// <summary>Writes a fixed 8-byte big-endian integer.</summary>
    /// <param name="value">The value.</param>
    public void WriteFixed64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }
}
