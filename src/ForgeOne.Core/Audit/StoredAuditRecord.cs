namespace ForgeOne.Core.Audit;

/// <summary>
/// One record as an <see cref="IAuditStorage"/> holds it: the slot it is stored under and its JSON, or why the stored
/// bytes could not be opened.
/// </summary>
/// <param name="Slot">The sequence number the storage keeps it under (for a repository, the object name's number).
/// A record's own <see cref="AuditRecord.Sequence"/> must equal it; verification reports it when not.</param>
/// <param name="Json">The record's JSON (<see cref="AuditRecord.ToJson"/>), or null when it could not be opened.</param>
/// <param name="Failure">Why the stored bytes could not be opened (failed authentication, cut short); null when
/// <paramref name="Json"/> is set.</param>
public sealed record StoredAuditRecord(long Slot, byte[]? Json, Exception? Failure);
