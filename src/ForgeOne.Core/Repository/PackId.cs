using System.Diagnostics.CodeAnalysis;

namespace ForgeOne.Core.Repository;

/// <summary>
/// The id of a pack file: the unkeyed BLAKE3 hash of the whole pack file, 32 bytes, shown as 64 lower-case hex digits.
/// Stored as <c>data/&lt;2 hex digits&gt;/&lt;64 hex digits&gt;</c> (<see cref="RepositoryPaths.Pack"/>), so anyone can check
/// a pack against its name without a key.
/// </summary>
/// <remarks>
/// A 32-byte value type (four words, no array), so millions fit in an index without per-id objects. Equality and
/// <see cref="CompareTo"/> compare the bytes in order (ordinal); <see cref="GetHashCode"/> uses the first 8 bytes,
/// which are uniformly distributed. <c>default</c> is the all-zero id, which no real pack has in practice.
/// <see cref="PackWriter"/> computes it from the bytes it writes.
/// </remarks>
public readonly struct PackId : IEquatable<PackId>, IComparable<PackId>
{
    /// <summary>Length of a pack id in bytes (32).</summary>
    public const int Size = HexId.Size;

    private readonly HexId _value;

    /// <summary>Creates an id from its 32 bytes.</summary>
    /// <param name="bytes">Exactly <see cref="Size"/> bytes; copied.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public PackId(ReadOnlySpan<byte> bytes)
    {
        _value = new HexId(bytes);
    }

    private PackId(HexId value)
    {
        _value = value;
    }

    /// <summary>The first 8 hex digits, for tables and messages (not unique; never use it as a key).</summary>
    public string ShortId => _value.ToShortString();

    /// <summary>Parses 64 hex digits (upper or lower case).</summary>
    /// <param name="text">The id in hex.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not 64 hex digits.</exception>
    public static PackId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{text}' is not a pack id; a pack id is {HexId.HexLength} hex digits.");
    }

    /// <summary>Parses 64 hex digits (upper or lower case) without throwing.</summary>
    /// <param name="text">The id in hex, or null.</param>
    /// <param name="id">The id, or <c>default</c> on failure.</param>
    /// <returns>True when <paramref name="text"/> is 64 hex digits.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out PackId id)
    {
        var ok = HexId.TryParse(text, out var value);
        id = new PackId(value);
        return ok;
    }

    /// <summary>Writes the id's 32 bytes to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void CopyTo(Span<byte> destination) => _value.CopyTo(destination);

    /// <summary>Returns the id's 32 bytes in a new array.</summary>
    /// <returns>A new 32-byte array.</returns>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        _value.CopyTo(bytes);
        return bytes;
    }

    /// <summary>The id as 64 lower-case hex digits.</summary>
    /// <returns>The hex form, as used in the pack's object name and in messages.</returns>
    public override string ToString() => _value.ToString();

    /// <summary>Compares the ids' bytes.</summary>
    /// <param name="other">The other id.</param>
    /// <returns>True when all 32 bytes are equal.</returns>
    public bool Equals(PackId other) => _value.Equals(other._value);

    /// <summary>Compares with another object.</summary>
    /// <param name="obj">The other object.</param>
    /// <returns>True when <paramref name="obj"/> is a <see cref="PackId"/> with the same bytes.</returns>
    public override bool Equals(object? obj) => obj is PackId other && Equals(other);

    /// <summary>A hash of the first 8 bytes; ids are uniformly distributed, so this spreads as well as all 32.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Compares the ids' bytes in order (ordinal, the order of their hex strings).</summary>
    /// <param name="other">The other id.</param>
    /// <returns>Negative, zero or positive as this id sorts before, with or after <paramref name="other"/>.</returns>
    public int CompareTo(PackId other) => _value.CompareTo(other._value);

    /// <summary>True when the ids are equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when all 32 bytes are equal.</returns>
    public static bool operator ==(PackId left, PackId right) => left.Equals(right);

    /// <summary>True when the ids differ.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when any byte differs.</returns>
    public static bool operator !=(PackId left, PackId right) => !left.Equals(right);

    /// <summary>Ordinal less-than.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(PackId left, PackId right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal less-than-or-equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when <paramref name="left"/> does not sort after <paramref name="right"/>.</returns>
    public static bool operator <=(PackId left, PackId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal greater-than.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(PackId left, PackId right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal greater-than-or-equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>True when <paramref name="left"/> does not sort before <paramref name="right"/>.</returns>
    public static bool operator >=(PackId left, PackId right) => left.CompareTo(right) >= 0;
}
