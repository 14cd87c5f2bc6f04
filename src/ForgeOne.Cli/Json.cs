using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgeOne.Cli;

/// <summary>JSON as <c>--json</c> prints it: camelCase names matching the PowerShell objects' properties.</summary>
internal static class Json
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    internal static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
