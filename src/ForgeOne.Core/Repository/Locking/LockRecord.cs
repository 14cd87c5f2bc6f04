using System.Globalization;
using System.Text.Json;
using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>The plaintext of one lock object: a small JSON document (see docs/design.md, "Locks").</summary>
/// <remarks>
/// Fields (camelCase): <c>version</c> (1), <c>host</c>, <c>user</c>, <c>pid</c>, <c>processStart</c> (UTC or null),
/// <c>exclusive</c>, <c>operation</c>, <c>created</c> and <c>refreshed</c> (UTC, ISO-8601 with up to 7 fractional
/// digits and a <c>Z</c>). Readers refuse another version, and missing, duplicated or mistyped fields; they ignore
/// unknown fields, so a later minor addition does not lock old readers out.
/// </remarks>
internal sealed record LockRecord(
    string Host,
    string User,
    int ProcessId,
    DateTimeOffset? ProcessStart,
    bool Exclusive,
    string Operation,
    DateTimeOffset Created,
    DateTimeOffset Refreshed)
{
    /// <summary>The only lock format version this build reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest lock document accepted, in bytes; real ones are about 250 bytes.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 4 };

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("host", Host);
            writer.WriteString("user", User);
            writer.WriteNumber("pid", ProcessId);
            if (ProcessStart is { } start)
            {
                writer.WriteString("processStart", FormatTime(start));
            }
            else
            {
                writer.WriteNull("processStart");
            }

            writer.WriteBoolean("exclusive", Exclusive);
            writer.WriteString("operation", Operation);
            writer.WriteString("created", FormatTime(Created));
            writer.WriteString("refreshed", FormatTime(Refreshed));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a lock document.</summary>
    /// <param name="json">The opened lock object.</param>
    /// <param name="lockId">The lock's id, for messages.</param>
    /// <exception cref="UnsupportedFormatException">Another version.</exception>
    /// <exception cref="MalformedObjectException">Not a valid lock document.</exception>
    public static LockRecord Parse(byte[] json, string lockId)
    {
        if (json.Length > MaxJsonLength)
        {
            throw Malformed(lockId, $"it is {json.Length} bytes, more than the {MaxJsonLength} bytes a lock may have");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed(lockId, "it is not valid JSON", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(lockId, "it is not a JSON object");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                // Duplicates would let two readers see two different locks in one document.
                if (!fields.TryAdd(property.Name, property.Value))
                {
                    throw Malformed(lockId, $"field \"{Shorten(property.Name)}\" appears twice");
                }
            }

            // Version first: another version may have other fields entirely.
            var versionElement = Require(fields, "version", JsonValueKind.Number, lockId);
            if (!versionElement.TryGetInt32(out var version) || version != FormatVersion)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.Lock, lockId, "lock version", Shorten(versionElement.GetRawText()),
                    FormatVersion.ToString(CultureInfo.InvariantCulture));
            }

            var pidElement = Require(fields, "pid", JsonValueKind.Number, lockId);
            if (!pidElement.TryGetInt32(out var pid))
            {
                throw Malformed(lockId, "field \"pid\" is not a 32-bit integer");
            }

            DateTimeOffset? processStart = null;
            if (!fields.TryGetValue("processStart", out var startElement))
            {
                throw Malformed(lockId, "field \"processStart\" is missing");
            }

            if (startElement.ValueKind != JsonValueKind.Null)
            {
                processStart = ParseTime(startElement, "processStart", lockId);
            }

            var exclusiveElement = Require(fields, "exclusive", JsonValueKind.Undefined, lockId);
            if (exclusiveElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Malformed(lockId, "field \"exclusive\" is not true or false");
            }

            return new LockRecord(
                Host: Require(fields, "host", JsonValueKind.String, lockId).GetString()!,
                User: Require(fields, "user", JsonValueKind.String, lockId).GetString()!,
                ProcessId: pid,
                ProcessStart: processStart,
                Exclusive: exclusiveElement.GetBoolean(),
                Operation: Require(fields, "operation", JsonValueKind.String, lockId).GetString()!,
                Created: ParseTime(Require(fields, "created", JsonValueKind.String, lockId), "created", lockId),
                Refreshed: ParseTime(Require(fields, "refreshed", JsonValueKind.String, lockId), "refreshed", lockId));
        }
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(JsonElement element, string name, string lockId)
    {
        if (element.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParseExact(element.GetString(), TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw Malformed(lockId, $"field \"{name}\" is not a UTC time such as 2026-11-24T10:00:00Z");
        }

        return time;
    }

    /// <summary>Returns a field that must be present, with the given kind (<see cref="JsonValueKind.Undefined"/>: any).</summary>
    private static JsonElement Require(Dictionary<string, JsonElement> fields, string name, JsonValueKind kind, string lockId)
    {
        if (!fields.TryGetValue(name, out var element))
        {
            throw Malformed(lockId, $"field \"{name}\" is missing");
        }

        if (kind != JsonValueKind.Undefined && element.ValueKind != kind)
        {
            throw Malformed(lockId, $"field \"{name}\" is a {element.ValueKind}, not a {kind}");
        }

        return element;
    }

    private static MalformedObjectException Malformed(string lockId, string problem, Exception? inner = null) =>
        new(ObjectKind.Lock, lockId, problem, inner);

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
