
namespace ForgeOne.Core.Store.Records;

/// <summary>Unsigned LEB128 variable-length integers: 7 bits a byte, low bits first.</summary>
public static class VarInt
{
    /// <summary>The longest encoding of a 64-bit value.</summary>
    public const int MaxLength = 10;

    /// <summary>Encoded length of <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>1 to 10.</returns>
    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <returns>Bytes written.</returns>
    public static int Write(ulong value, Span<byte> destination)
    {
        var index = 0;
        while (value >= 0x80)
        {
            destination[index++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[index++] = (byte)value;
        return index;
    }

    /// <summary>Reads a value from the start of <paramref name="source"/>.</summary>
    /// <param name="source">The bytes.</param>
    /// <param name="length">Bytes consumed.</param>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidDataException">The encoding is cut short or longer than 10 bytes.</exception>
    public static ulong Read(ReadOnlySpan<byte> source, out int length)
    {
        ulong value = 0;
        for (var index = 0; index < MaxLength && index < source.Length; index++)
        {
            var current = source[index];
            value |= (ulong)(current & 0x7F) << (7 * index);
            if (current < 0x80)
            {
                length = index + 1;
                return value;
            }
        }

        throw new InvalidDataException("A variable-length integer in a record is cut short or too long.");
    }
}
