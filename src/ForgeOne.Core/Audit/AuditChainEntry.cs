namespace ForgeOne.Core.Audit;

/// <summary>One item the verifier walks: a record, or why it could not be read, and the slot it was stored under.</summary>
/// <param name="Slot">The storage slot (repository object number), or null when the source has none (an export).</param>
/// <param name="Record">The parsed record, or null when it could not be opened or parsed.</param>
/// <param name="Failure">Why the record could not be read; null when <paramref name="Record"/> is set.</param>
internal readonly record struct AuditChainEntry(long? Slot, AuditRecord? Record, string? Failure);
