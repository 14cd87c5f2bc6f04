using System.Text.Json;

namespace ForgeOne.Core.Snapshots;

/// <summary>
/// What a backup of a ForgeOne store records about it: the store, its region, and each database's logical DNA,
/// so a restore can prove it brought back exactly what was backed up.
/// </summary>
/// <param name="StoreId">The store's id.</param>
/// <param name="Region">The store's region at backup time.</param>
/// <param name="Databases">Every database backed up, in layout order.</param>
public sealed record StoreManifest(string StoreId, string Region, IReadOnlyList<StoreManifestEntry> Databases)
{
    /// <summary>The entry for a database file name, or null when the backup does not hold it.</summary>
    /// <param name="database">A file name such as <c>logs_shard_0.redb</c>.</param>
    /// <returns>The entry.</returns>
    public StoreManifestEntry? Find(string database) =>
        Databases.FirstOrDefault(entry => string.Equals(entry.Database, database, StringComparison.Ordinal));

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("store");
        CanonicalJson.WriteString(writer, "id", StoreId);
        CanonicalJson.WriteString(writer, "region", Region);
        writer.WriteStartArray("databases");
        foreach (var entry in Databases)
        {
            writer.WriteStartObject();
            CanonicalJson.WriteString(writer, "name", entry.Database);
            writer.WriteString("dna", entry.LogicalDna);
            writer.WriteNumber("bytes", entry.Bytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static StoreManifest Read(JsonElement element, Func<string, Exception> malformed)
    {
        var fields = new JsonFields(element, "store.", malformed);
        var databases = new List<StoreManifestEntry>();
        foreach (var item in fields.Require("databases").EnumerateArray())
        {
            var entry = new JsonFields(item, "store.databases[].", malformed);
            databases.Add(new StoreManifestEntry(entry.RequireString("name"), entry.RequireHexId("dna"), entry.RequireNonNegative("bytes")));
        }

        return new StoreManifest(fields.RequireString("id"), fields.RequireString("region"), databases);
    }
}
