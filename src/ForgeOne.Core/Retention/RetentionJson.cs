using System.Text.Json.Serialization;

namespace ForgeOne.Core.Retention;

/// <summary>Source-generated JSON for policy objects (Core is trimming- and AOT-safe).</summary>
[JsonSerializable(typeof(RetentionPolicyVersion))]
[JsonSerializable(typeof(LegalHold))]
internal sealed partial class RetentionJson : JsonSerializerContext
{
}
