using ForgeOne.Core.Crypto;

namespace ForgeOne.Core.Repository;

/// <summary>A key slot as listed by <see cref="Repository.ListKeysAsync"/>: what it is, never what it holds.</summary>
/// <param name="Id">The slot's id, 16 lower-case hex digits (its object is <c>keys/&lt;id&gt;</c>).</param>
/// <param name="Kind">Whether a passphrase or a key file opens it.</param>
/// <param name="Created">When it was created, UTC. Informational; not authenticated.</param>
/// <param name="Host">Host it was created on. Informational; not authenticated.</param>
/// <param name="User">User who created it. Informational; not authenticated.</param>
/// <param name="Argon2">Argon2id costs of a passphrase slot; null for a key-file slot.</param>
/// <param name="IsCurrent">True for the slot that unlocked (or was created with) this open repository.</param>
public sealed record KeySlotInfo(
    string Id, KeySlotKind Kind, DateTimeOffset Created, string Host, string User, Argon2Parameters? Argon2, bool IsCurrent);
