using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// The canonical JSON shared by trees and snapshots: compact, fields in a fixed order, strings escaped as in
/// RFC 8785 and times as UTC with 100 ns digits, so equal values always give equal bytes.
/// </summary>
/// <remarks>
/// Strings are escaped here rather than by <see cref="Utf8JsonWriter"/>'s encoder: the encoder's choice of what to
/// escape is not specified and has changed between .NET releases, and a change would alter every tree's bytes,
/// hence its id, and defeat deduplication against older snapshots.
/// </remarks>
internal static class CanonicalJson
{
    public const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void WriteString(Utf8JsonWriter writer, string propertyName, string value)
    {
        writer.WritePropertyName(propertyName);
        WriteStringValue(writer, value);
    }

    public static void WriteStringValue(Utf8JsonWriter writer, string value)
    {
        var utf8 = StrictUtf8.GetBytes(value);
        var escaped = new ArrayBufferWriter<byte>(utf8.Length + 2);
        escaped.Write("\""u8);
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b is >= 0x20 and not (byte)'"' and not (byte)'\\')
            {
                continue;
            }

            escaped.Write(utf8.AsSpan(start, i - start));
            escaped.Write(b switch
            {
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                (byte)'\b' => "\\b"u8,
                (byte)'\f' => "\\f"u8,
                (byte)'\n' => "\\n"u8,
                (byte)'\r' => "\\r"u8,
                (byte)'\t' => "\\t"u8,
                _ => Encoding.ASCII.GetBytes($"\\u{b:x4}"),
            });
            start = i + 1;
        }

        escaped.Write(utf8.AsSpan(start));
        escaped.Write("\""u8);
        writer.WriteRawValue(escaped.WrittenSpan, skipInputValidation: true);
    }

    public static void WriteTime(Utf8JsonWriter writer, string propertyName, DateTimeOffset value) =>
        WriteString(writer, propertyName, FormatTime(value));

    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(
            text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>True for 64 lower-case hex digits: a blob id, snapshot id or BLAKE3 hash.</summary>
    public static bool IsHexId(string? value)
    {
        if (value is null || value.Length != 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the string has no lone surrogate, so it has an exact UTF-8 form.</summary>
    public static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    // Values from stored objects go into messages; keep them short.
    public static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
