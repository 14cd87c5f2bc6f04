using System.Collections;
using System.Management.Automation;

namespace ForgeOne.Commands;

/// <summary>Turns parameter values the store cmdlets share into what Core takes.</summary>
internal static class StoreParameters
{
    /// <summary>A -Metadata hashtable as text fields: keys and values converted as PowerShell converts to string.</summary>
    /// <param name="metadata">The hashtable, or null.</param>
    /// <returns>The fields; empty for null.</returns>
    internal static IReadOnlyDictionary<string, string> ToMetadata(Hashtable? metadata) =>
        metadata is null
            ? new Dictionary<string, string>()
            : metadata.Cast<DictionaryEntry>().ToDictionary(
                pair => LanguagePrimitives.ConvertTo<string>(pair.Key),
                pair => pair.Value is null ? null! : LanguagePrimitives.ConvertTo<string>(pair.Value),
                StringComparer.Ordinal);
}
