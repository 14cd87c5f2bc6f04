using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>
/// The 32 bytes shared by <see cref="BlobId"/> and <see cref="PackId"/>: four big-endian words, so that comparing the
/// words compares the bytes in order, and the first word is the first 8 bytes.
/// </summary>
internal readonly struct HexId : IEquatable<HexId>
{
    public const int Size = 32;
    public const int HexLength = Size * 2;

    public readonly ulong W0;
    public readonly ulong W1;
    public readonly ulong W2;
    public readonly ulong W3;

    public HexId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An id is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        W0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        W1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        W2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        W3 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public bool IsZero => (W0 | W1 | W2 | W3) == 0;

    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; an id needs {Size}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, W0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], W3);
    }

    public bool Equals(HexId other) => W0 == other.W0 && W1 == other.W1 && W2 == other.W2 && W3 == other.W3;

    public override bool Equals(object? obj) => obj is HexId other && Equals(other);

    // Ids are keyed or unkeyed BLAKE3 outputs, uniformly distributed, so 8 bytes hash as well as 32.
    public override int GetHashCode() => (int)W0 ^ (int)(W0 >> 32);

    public int CompareTo(HexId other)
    {
        var c = W0.CompareTo(other.W0);
        if (c != 0)
        {
            return c;
        }

        c = W1.CompareTo(other.W1);
        if (c != 0)
        {
            return c;
        }

        c = W2.CompareTo(other.W2);
        return c != 0 ? c : W3.CompareTo(other.W3);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return ObjectNames.ToHex(bytes);
    }

    public string ToShortString() => (W0 >> 32).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses exactly 64 hex digits (either case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out HexId id)
    {
        id = default;
        if (text is null || text.Length != HexLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        for (var i = 0; i < Size; i++)
        {
            var high = HexValue(text[2 * i]);
            var low = HexValue(text[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        id = new HexId(bytes);
        return true;
    }

    /// <summary>True when <paramref name="text"/> is 64 lower-case hex digits, the form used in object names.</summary>
    public static bool IsCanonical(string? text)
    {
        if (text is null || text.Length != HexLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
