namespace ForgeOne.Core.Snapshots;

/// <summary>
/// Orders strings as their UTF-8 bytes compare (<c>LC_ALL=C sort</c>, <c>memcmp</c>), without encoding them.
/// </summary>
/// <remarks>
/// UTF-8 byte order is code point order. UTF-16 code unit order (<see cref="StringComparer.Ordinal"/>) agrees
/// except for surrogates (U+D800–U+DFFF), which encode code points above U+FFFF yet sort below U+E000–U+FFFF.
/// At the first differing unit both are lifted into code point order, as ICU's code-point-order comparison does.
/// Only well-formed strings (no lone surrogates) are ordered correctly; callers validate names first.
/// </remarks>
internal sealed class Utf8Ordinal : IComparer<string>
{
    public static Utf8Ordinal Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var i = x.AsSpan().CommonPrefixLength(y);
        if (i == x.Length || i == y.Length)
        {
            // A prefix sorts first, in UTF-8 too: the prefix ends on a whole code point in well-formed strings.
            return x.Length.CompareTo(y.Length);
        }

        return Lift(x[i]).CompareTo(Lift(y[i]));
    }

    // Surrogates move above U+FFFF's neighbours; U+E000–U+FFFF move down into the gap they leave.
    private static int Lift(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
