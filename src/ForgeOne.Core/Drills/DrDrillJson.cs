using System.Text.Json.Serialization;

namespace ForgeOne.Core.Drills;

/// <summary>Source-generated JSON for drill records (Core is trimming- and AOT-safe).</summary>
[JsonSerializable(typeof(DrDrillResult))]
internal sealed partial class DrDrillJson : JsonSerializerContext
{
}
