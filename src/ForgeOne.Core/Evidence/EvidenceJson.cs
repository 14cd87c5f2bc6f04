using System.Text.Json.Serialization;
using ForgeOne.Core.Drills;
using ForgeOne.Core.Retention;
using ForgeOne.Core.Verification;

namespace ForgeOne.Core.Evidence;

/// <summary>Source-generated JSON for the files of an evidence package (Core is trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(EvidenceManifest))]
[JsonSerializable(typeof(List<InventoryRow>))]
[JsonSerializable(typeof(List<DrDrillResult>))]
[JsonSerializable(typeof(List<SnapshotVerification>))]
[JsonSerializable(typeof(List<RepositoryCheckResult>))]
[JsonSerializable(typeof(List<ControlResult>))]
[JsonSerializable(typeof(List<RetentionPolicyVersion>))]
[JsonSerializable(typeof(List<LegalHold>))]
[JsonSerializable(typeof(AuditChainReport))]
internal sealed partial class EvidenceJson : JsonSerializerContext
{
}
