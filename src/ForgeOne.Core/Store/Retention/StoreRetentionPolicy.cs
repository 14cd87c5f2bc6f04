using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ForgeOne.Core.Store.Retention;

/// <summary>
/// How long a store keeps each kind of record (<c>Set-ForgeRetentionPolicy</c>): a maximum age per kind, null to
/// keep that kind forever. Kept as the store setting <see cref="StoreRetention.PolicySettingName"/>.
/// </summary>
/// <remarks>Ages count from a log entry's or event's timestamp and from a blob's creation time.</remarks>
public sealed record StoreRetentionPolicy
{
    /// <summary>A policy that keeps everything: the policy of a store that never set one.</summary>
    public static readonly StoreRetentionPolicy KeepForever = new();

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 2 };

    /// <summary>Oldest log entry kept; null keeps logs forever.</summary>
    public TimeSpan? Logs { get; init; }

    /// <summary>Oldest event kept; null keeps events forever.</summary>
    public TimeSpan? Events { get; init; }

    /// <summary>Oldest blob kept, by creation time; null keeps blobs forever.</summary>
    public TimeSpan? Blobs { get; init; }

    /// <summary>The maximum age of records of <paramref name="kind"/>.</summary>
    /// <param name="kind">The database kind.</param>
    /// <returns>The age, or null when that kind is kept forever (always for system.redb).</returns>
    public TimeSpan? MaxAge(StoreDatabaseKind kind) => kind switch
    {
        StoreDatabaseKind.Logs => Logs,
        StoreDatabaseKind.Events => Events,
        StoreDatabaseKind.Blobs => Blobs,
        _ => null,
    };

    /// <summary>Checks that every age set is positive.</summary>
    /// <exception cref="StoreValidationException">An age is zero or negative.</exception>
    public void Validate()
    {
        foreach (var (field, age) in new[] { (nameof(Logs), Logs), (nameof(Events), Events), (nameof(Blobs), Blobs) })
        {
            if (age is { } value && value <= TimeSpan.Zero)
            {
                throw new StoreValidationException(field, string.Create(CultureInfo.InvariantCulture,
                    $"a maximum age of {value} would delete every record. Give a positive age such as 30.00:00:00 (30 days), or none to keep {field.ToLowerInvariant()} forever."));
            }
        }
    }

    /// <summary>The policy as JSON: <c>{"logs":"30.00:00:00","events":null,"blobs":null}</c> (ages in TimeSpan's constant format).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteAge(writer, "logs", Logs);
            WriteAge(writer, "events", Events);
            WriteAge(writer, "blobs", Blobs);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="StoreValidationException">The text is not a retention policy.</exception>
    public static StoreRetentionPolicy Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, ReaderOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the JSON is not an object");
            }

            return new StoreRetentionPolicy
            {
                Logs = ReadAge(root, "logs"),
                Events = ReadAge(root, "events"),
                Blobs = ReadAge(root, "blobs"),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new StoreValidationException("RetentionPolicy",
                $"the setting '{StoreRetention.PolicySettingName}' is not a retention policy ({ex.Message}). Set it again with Set-ForgeRetentionPolicy.");
        }
    }

    private static void WriteAge(Utf8JsonWriter writer, string name, TimeSpan? age)
    {
        if (age is { } value)
        {
            writer.WriteString(name, value.ToString("c", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static TimeSpan? ReadAge(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? TimeSpan.ParseExact(element.GetString()!, "c", CultureInfo.InvariantCulture)
            : null;
}
