using System.Globalization;

namespace ForgeOne.Core.Verification;

/// <summary>
/// Which part of the data a check reads: <c>K/M</c> (the K-th of M slices, so M runs cover everything) or <c>P%</c>
/// (about P percent). Selection is by object id, so the same slice is the same objects every time.
/// </summary>
public sealed class DataSubset
{
    private readonly Func<uint, bool> _selects;

    private DataSubset(string text, Func<uint, bool> selects)
    {
        Text = text;
        _selects = selects;
    }

    /// <summary>Everything.</summary>
    public static DataSubset All { get; } = new("100%", _ => true);

    /// <summary>The subset as written.</summary>
    public string Text { get; }

    /// <summary>Parses <c>K/M</c> (1 ≤ K ≤ M) or <c>P%</c> (0 &lt; P ≤ 100).</summary>
    /// <exception cref="ArgumentException">The text is neither form.</exception>
    public static DataSubset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%') && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent > 0 && percent <= 100)
        {
            var limit = (ulong)(percent / 100 * (1UL << 32));
            return new DataSubset(trimmed, prefix => prefix < limit);
        }

        var parts = trimmed.Split('/');
        if (parts.Length == 2 && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && k >= 1 && k <= m)
        {
            return new DataSubset(trimmed, prefix => prefix % m == k - 1);
        }

        throw new ArgumentException($"'{text}' is not a data subset; write K/M (e.g. 1/10 reads a tenth, 1/10 to 10/10 read everything) or P% (e.g. 5%).", nameof(text));
    }

    /// <summary>True when the object with this hex id is in the subset.</summary>
    public bool Includes(string hexId)
    {
        ArgumentNullException.ThrowIfNull(hexId);
        return _selects(uint.Parse(hexId.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
