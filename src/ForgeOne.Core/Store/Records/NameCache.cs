using System.Text;

namespace ForgeOne.Core.Store.Records;

/// <summary>
/// Per-thread cache of short strings that repeat from record to record (topics, metadata field names), so that
/// reading 10,000 entries of one topic decodes its name once instead of 10,000 times.
/// </summary>
/// <remarks>Direct-mapped: a slot keeps the last name that hashed to it. Only names, never values, go through it.</remarks>
internal static class NameCache
{
    private const int Slots = 256;
    private const int MaxLength = 128;

    [ThreadStatic]
    private static byte[]?[]? t_bytes;

    [ThreadStatic]
    private static string?[]? t_strings;

    /// <summary>The string of <paramref name="utf8"/>, from the cache when the same bytes were read before.</summary>
    /// <param name="utf8">UTF-8 bytes.</param>
    /// <returns>The string.</returns>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var bytes = t_bytes ??= new byte[]?[Slots];
        var strings = t_strings ??= new string?[Slots];
        var hash = 2166136261u;
        foreach (var value in utf8)
        {
            hash = (hash ^ value) * 16777619u;
        }

        var slot = (int)(hash % Slots);
        if (bytes[slot] is { } cached && utf8.SequenceEqual(cached))
        {
            return strings[slot]!;
        }

        var text = Encoding.UTF8.GetString(utf8);
        bytes[slot] = utf8.ToArray();
        strings[slot] = text;
        return text;
    }
}
