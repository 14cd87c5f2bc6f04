using System.Text.Json.Serialization;

namespace ForgeOne.Core.Store.Snapshots;

/// <summary>Source-generated JSON for snapshot records in system.redb (Core is trimming- and AOT-safe).</summary>
[JsonSerializable(typeof(StoreSnapshot))]
internal sealed partial class StoreSnapshotJson : JsonSerializerContext
{
}
