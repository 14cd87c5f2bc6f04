using System.Buffers.Binary;
using System.Text;

namespace ForgeOne.Core.Store.Records;

/// <summary>Reads what <see cref="RecordWriter"/> wrote, failing with <see cref="InvalidDataException"/> on anything cut short.</summary>
public ref struct RecordReader
{
    private ReadOnlySpan<byte> _remaining;

    /// <summary>Starts reading <paramref name="data"/>.</summary>
    /// <param name="data">A record's plaintext.</param>
    public RecordReader(ReadOnlySpan<byte> data) => _remaining = data;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _remaining.IsEmpty;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _remaining.Length;

    /// <summary>Skips bytes.</summary>
    /// <param name="count">How many.</param>
    public void Skip(int count) => Take(count);

    /// <summary>Reads an unsigned varint.</summary>
    /// <returns>The value.</returns>
    public ulong ReadVarInt()
    {
        var value = VarInt.Read(_remaining, out var length);
        _remaining = _remaining[length..];
        return value;
    }

    /// <summary>Reads a zigzag varint.</summary>
    /// <returns>The value.</returns>
    public long ReadInt64()
    {
        var raw = ReadVarInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads one byte.</summary>
    /// <returns>The byte.</returns>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a length-prefixed byte string.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ReadBytes() => Take(Length()).ToArray();

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    /// <returns>The string.</returns>
    public string ReadString() => Encoding.UTF8.GetString(Take(Length()));

    /// <summary>Reads a length-prefixed UTF-8 name (a topic, a field name) through the per-thread <see cref="NameCache"/>.</summary>
    /// <returns>The string.</returns>
    internal string ReadName() => NameCache.Get(Take(Length()));

    /// <summary>Reads a length-prefixed UTF-8 string as its bytes, without decoding it.</summary>
    /// <returns>The bytes, a slice of the record.</returns>
    internal ReadOnlySpan<byte> ReadUtf8() => Take(Length());

    /// <summary>Reads a string map.</summary>
    /// <returns>The map, empty when the count is 0.</returns>
    public Dictionary<string, string> ReadMap()
    {
        var count = Length();
        var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var index = 0; index < count; index++)
        {
            var key = ReadName();
            map[key] = ReadString();
        }

        return map;
    }

    /// <summary>Reads a fixed 8-byte big-endian integer.</summary>
    /// <returns>The value.</returns>
    public long ReadFixed64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    private int Length()
    {
        var length = ReadVarInt();
        return length <= (ulong)_remaining.Length ? (int)length : throw new InvalidDataException("A record field is longer than the record.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _remaining.Length)
        {
            throw new InvalidDataException("A record is cut short.");
        }

        var taken = _remaining[..count];
        _remaining = _remaining[count..];
        return taken;
    }
}
