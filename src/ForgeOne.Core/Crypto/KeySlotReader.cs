using System.Globalization;
using System.Text.Json;

namespace ForgeOne.Core.Crypto;

/// <summary>Parses and validates key slot JSON; see <see cref="KeySlot"/> for the format.</summary>
/// <remarks>
/// Strict on purpose: the document is read from storage an attacker may control, so every field is checked
/// for presence, type, uniqueness and range before anything (in particular Argon2) runs on it. Unknown
/// extra fields are ignored so a later minor addition does not lock old readers out; anything that changes
/// meaning gets a new version or kind, which old readers refuse.
/// </remarks>
internal static class KeySlotReader
{
    public static KeySlot Read(ReadOnlySpan<byte> json)
    {
        if (json.Length > KeySlot.MaxJsonLength)
        {
            throw Malformed(null, $"it is {json.Length} bytes, more than the {KeySlot.MaxJsonLength} bytes a key slot may have");
        }

        JsonDocument document;
        try
        {
            // JsonDocument needs memory it can hold on to; slots are small, so copy.
            document = JsonDocument.Parse(json.ToArray(), KeySlot.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw Malformed(null, "it is not valid JSON", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(null, "it is not a JSON object");
            }

            var fields = CollectFields(root, null);

            // Version first: another version may have other fields entirely.
            var version = RequireInt(fields, "version", null);
            if (version != KeySlot.FormatVersion)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.KeySlot, null, "key slot version", version.ToString(CultureInfo.InvariantCulture),
                    KeySlot.FormatVersion.ToString(CultureInfo.InvariantCulture));
            }

            var id = RequireString(fields, "id", null);
            var idBytes = ParseId(id);

            var kindName = RequireString(fields, "kind", id);
            var kind = KeySlot.KindFromName(kindName)
                ?? throw new UnsupportedFormatException(
                    ObjectKind.KeySlot, id, "key slot kind", $"\"{Truncate(kindName)}\"", "\"passphrase-argon2id\" and \"key-file\"");

            var capabilities = ParseCapabilities(Require(fields, "capabilities", id), id);
            if (fields.ContainsKey("writeOnlyPublicKey") || capabilities == KeySlotCapabilities.Write)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.KeySlot, id, "key slot capabilities", "write-only", "read and write");
            }

            if (capabilities != (KeySlotCapabilities.Read | KeySlotCapabilities.Write))
            {
                throw Malformed(id, "its capabilities must be [\"read\",\"write\"]");
            }

            var created = ParseCreated(RequireString(fields, "created", id), id);
            var host = RequireString(fields, "host", id);
            var user = RequireString(fields, "user", id);

            Argon2Parameters? argon2 = null;
            byte[]? salt = null;
            if (kind == KeySlotKind.Passphrase)
            {
                (argon2, salt) = ParseArgon2(Require(fields, "argon2", id), id);
            }
            else if (fields.ContainsKey("argon2"))
            {
                throw Malformed(id, "a key-file slot has no argon2 field");
            }

            var wrapped = RequireBase64(fields, "wrapped", id);
            if (wrapped.Length != KeySlot.WrappedLength)
            {
                throw Malformed(id, $"its wrapped key is {wrapped.Length} bytes, not {KeySlot.WrappedLength}");
            }

            // Refuse an envelope this build cannot open now, rather than reporting it later as a wrong passphrase.
            if (wrapped[0] != Envelope.Version || wrapped[1] != Envelope.AlgorithmAes256GcmSession)
            {
                throw new UnsupportedFormatException(
                    ObjectKind.KeySlot, id, "envelope version and algorithm",
                    $"{wrapped[0]}/{wrapped[1]}", $"{Envelope.Version}/{Envelope.AlgorithmAes256GcmSession}");
            }

            return KeySlot.FromParts(idBytes, kind, created, host, user, argon2, salt, wrapped);
        }
    }

    private static Dictionary<string, JsonElement> CollectFields(JsonElement element, string? id)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            // Duplicates would let two parsers read two different slots from one document.
            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw Malformed(id, $"field \"{Truncate(property.Name)}\" appears twice");
            }
        }

        return fields;
    }

    private static JsonElement Require(Dictionary<string, JsonElement> fields, string name, string? id) =>
        fields.TryGetValue(name, out var value) ? value : throw Malformed(id, $"field \"{name}\" is missing");

    private static int RequireInt(Dictionary<string, JsonElement> fields, string name, string? id)
    {
        var value = Require(fields, name, id);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Malformed(id, $"field \"{name}\" is not a 32-bit integer");
    }

    private static string RequireString(Dictionary<string, JsonElement> fields, string name, string? id)
    {
        var value = Require(fields, name, id);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Malformed(id, $"field \"{name}\" is not a string");
    }

    private static byte[] RequireBase64(Dictionary<string, JsonElement> fields, string name, string? id)
    {
        var value = Require(fields, name, id);
        return value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw Malformed(id, $"field \"{name}\" is not base64");
    }

    private static byte[] ParseId(string id)
    {
        var valid = id.Length == KeySlot.IdByteLength * 2 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
        return valid ? Convert.FromHexString(id) : throw Malformed(null, "its id is not 16 lower-case hex digits");
    }

    private static KeySlotCapabilities ParseCapabilities(JsonElement value, string id)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(id, "field \"capabilities\" is not an array");
        }

        var capabilities = KeySlotCapabilities.None;
        foreach (var item in value.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Malformed(id, "a capability is not a string");
            var capability = name switch
            {
                "read" => KeySlotCapabilities.Read,
                "write" => KeySlotCapabilities.Write,
                _ => throw new UnsupportedFormatException(
                    ObjectKind.KeySlot, id, "key slot capability", $"\"{Truncate(name)}\"", "\"read\" and \"write\""),
            };
            if ((capabilities & capability) != 0)
            {
                throw Malformed(id, $"capability \"{name}\" appears twice");
            }

            capabilities |= capability;
        }

        return capabilities;
    }

    private static DateTimeOffset ParseCreated(string text, string id)
    {
        return DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created)
            ? created
            : throw Malformed(id, "field \"created\" is not an ISO-8601 time");
    }

    private static (Argon2Parameters Parameters, byte[] Salt) ParseArgon2(JsonElement value, string id)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(id, "field \"argon2\" is not an object");
        }

        var fields = CollectFields(value, id);
        var memory = RequireLong(fields, "memoryKiB", id);
        var iterations = RequireLong(fields, "iterations", id);
        var parallelism = RequireLong(fields, "parallelism", id);
        if (Argon2Parameters.Validate(memory, iterations, parallelism) is { } problem)
        {
            // Checked before any Argon2 run: a slot asking for huge costs would exhaust whoever opens it.
            throw Malformed(id, problem);
        }

        var salt = RequireBase64(fields, "salt", id);
        if (salt.Length is < 16 or > 64)
        {
            throw Malformed(id, $"its Argon2 salt is {salt.Length} bytes, outside 16 to 64");
        }

        return (new Argon2Parameters((int)memory, (int)iterations, (int)parallelism), salt);
    }

    private static long RequireLong(Dictionary<string, JsonElement> fields, string name, string id)
    {
        var value = Require(fields, name, id);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw Malformed(id, $"field \"argon2.{name}\" is not an integer");
    }

    private static MalformedObjectException Malformed(string? id, string problem, Exception? innerException = null) =>
        new(ObjectKind.KeySlot, id, problem, innerException);

    // Values from the file go into messages; keep them short.
    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
