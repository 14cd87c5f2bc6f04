using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Store.Rotation;

/// <summary>
/// The progress of a key rotation, kept as JSON in system.redb's <c>metadata</c> row <c>rotation</c>:
/// <c>{"epoch":2,"started":"…","tables":{"logs_shard_0.redb/logs":{"done":false,"cursor":["i:1234"]}}}</c>.
/// A cursor is the key of the last row re-sealed, one typed element per key column: <c>i:</c> integer,
/// <c>s:</c> text, <c>b:</c> hex bytes.
/// </summary>
internal sealed class RotationState
{
    public const string MetadataKey = "rotation";

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 6 };

    public RotationState(int epoch, DateTimeOffset started)
    {
        Epoch = epoch;
        Started = started;
    }

    public int Epoch { get; }

    public DateTimeOffset Started { get; }

    public Dictionary<string, TableCursor> Tables { get; } = new(StringComparer.Ordinal);

    public TableCursor Of(StoreDatabase database, string table)
    {
        var name = database.FileName + "/" + table;
        if (!Tables.TryGetValue(name, out var cursor))
        {
            cursor = new TableCursor();
            Tables[name] = cursor;
        }

        return cursor;
    }

    public static RotationState Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, ReaderOptions);
            var root = document.RootElement;
            var state = new RotationState(root.GetProperty("epoch").GetInt32(),
                DateTimeOffset.Parse(root.GetProperty("started").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            foreach (var table in root.GetProperty("tables").EnumerateObject())
            {
                var cursor = new TableCursor { Done = table.Value.GetProperty("done").GetBoolean() };
                if (table.Value.TryGetProperty("cursor", out var key) && key.ValueKind == JsonValueKind.Array)
                {
                    cursor.Key = [.. key.EnumerateArray().Select(element => DecodeValue(element.GetString()!))];
                }

                state.Tables[table.Name] = cursor;
            }

            return state;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new StoreFormatException("system.redb",
                $"metadata row '{MetadataKey}' is not a key rotation record this build understands. Restore system.redb from a backup, or use the ForgeOne version that started the rotation.", ex);
        }
    }

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("epoch", Epoch);
            writer.WriteString("started", Started.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartObject("tables");
            foreach (var (name, cursor) in Tables.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(name);
                writer.WriteBoolean("done", cursor.Done);
                if (cursor.Key is { } key)
                {
                    writer.WriteStartArray("cursor");
                    foreach (var value in key)
                    {
                        writer.WriteStringValue(EncodeValue(value));
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string EncodeValue(object value) => value switch
    {
        long number => "i:" + number.ToString(CultureInfo.InvariantCulture),
        string text => "s:" + text,
        byte[] bytes => "b:" + ObjectNames.ToHex(bytes),
        _ => throw new ArgumentException($"A key column of type {value.GetType().Name} cannot be a rotation cursor.", nameof(value)),
    };

    private static object DecodeValue(string encoded) => encoded.AsSpan(0, 2) switch
    {
        "i:" => long.Parse(encoded.AsSpan(2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        "s:" => encoded[2..],
        "b:" => Convert.FromHexString(encoded.AsSpan(2)),
        _ => throw new FormatException($"'{encoded}' is not a rotation cursor value."),
    };

    /// <summary>How far one table of one database is.</summary>
    public sealed class TableCursor
    {
        /// <summary>The key of the last row re-sealed; null to start at the first row.</summary>
        public object[]? Key { get; set; }

        /// <summary>True once the walk reached the table's end in this pass.</summary>
        public bool Done { get; set; }
    }
}
