using System.Text.Json;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// The fields of one JSON object, read strictly: duplicates, wrong types and out-of-range numbers are refused
/// through the caller's exception factory. Unknown fields are ignored so a later minor addition does not lock
/// old readers out; anything that changes meaning gets a new version, which old readers refuse.
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly Func<string, Exception> _malformed;
    private readonly string _where;

    /// <param name="element">The object.</param>
    /// <param name="where">Names the object in messages, for example <c>node "a.txt"</c>; empty at the top.</param>
    /// <param name="malformed">Makes the exception for a problem (a sentence fragment).</param>
    public JsonFields(JsonElement element, string where, Func<string, Exception> malformed)
    {
        _malformed = malformed;
        _where = where.Length == 0 ? "" : " of " + where;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw malformed(where.Length == 0 ? "it is not a JSON object" : $"{where} is not a JSON object");
        }

        foreach (var property in element.EnumerateObject())
        {
            // Duplicates would let two parsers read two different objects from one document.
            if (!_fields.TryAdd(property.Name, property.Value))
            {
                throw Fail($"field \"{CanonicalJson.Truncate(property.Name)}\"{_where} appears twice");
            }
        }
    }

    public Exception Fail(string problem) => _malformed(problem);

    public JsonElement Require(string name) =>
        _fields.TryGetValue(name, out var value) ? value : throw Fail($"field \"{name}\"{_where} is missing");

    /// <summary>The value, or null when the field is absent or JSON null.</summary>
    public JsonElement? Optional(string name) =>
        _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public int RequireInt32(string name) =>
        Require(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number)
            ? number
            : throw Fail($"field \"{name}\"{_where} is not a 32-bit integer");

    public long RequireNonNegative(string name) =>
        Require(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw Fail($"field \"{name}\"{_where} is not a non-negative integer");

    public long? OptionalNonNegative(string name) =>
        Optional(name) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0 ? number
        : throw Fail($"field \"{name}\"{_where} is not a non-negative integer");

    public ulong RequireUInt64(string name) =>
        Require(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetUInt64(out var number)
            ? number
            : throw Fail($"field \"{name}\"{_where} is not an unsigned 64-bit integer");

    public string RequireString(string name) =>
        Require(name) is { ValueKind: JsonValueKind.String } value
            ? Text(value, name)
            : throw Fail($"field \"{name}\"{_where} is not a string");

    public string? OptionalString(string name) =>
        Optional(name) is not { } value ? null
        : value.ValueKind == JsonValueKind.String ? Text(value, name)
        : throw Fail($"field \"{name}\"{_where} is not a string");

    public string RequireHexId(string name)
    {
        var text = RequireString(name);
        return CanonicalJson.IsHexId(text) ? text : throw Fail($"field \"{name}\"{_where} is not 64 lower-case hex digits");
    }

    public string? OptionalHexId(string name)
    {
        var text = OptionalString(name);
        return text is null || CanonicalJson.IsHexId(text)
            ? text
            : throw Fail($"field \"{name}\"{_where} is not 64 lower-case hex digits");
    }

    public DateTimeOffset RequireTime(string name) =>
        CanonicalJson.TryParseTime(RequireString(name), out var time)
            ? time
            : throw Fail($"field \"{name}\"{_where} is not a UTC time of the form 2026-11-24T10:00:00.0000000Z");

    public DateTimeOffset? OptionalTime(string name) =>
        OptionalString(name) is not { } text ? null
        : CanonicalJson.TryParseTime(text, out var time) ? time
        : throw Fail($"field \"{name}\"{_where} is not a UTC time of the form 2026-11-24T10:00:00.0000000Z");

    public string[] RequireStringArray(string name) =>
        StringArray(name, Require(name));

    public string[]? OptionalStringArray(string name) =>
        Optional(name) is { } value ? StringArray(name, value) : null;

    private string[] StringArray(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"field \"{name}\"{_where} is not an array");
        }

        var items = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            items[i++] = item.ValueKind == JsonValueKind.String
                ? Text(item, name)
                : throw Fail($"an item of field \"{name}\"{_where} is not a string");
        }

        return items;
    }

    private string Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // An escaped lone surrogate ("\ud800") has no UTF-8 form, so no name or text may hold one.
            throw _malformed($"field \"{name}\"{_where} holds text that is not valid Unicode ({ex.Message})");
        }
    }
}
