namespace ForgeOne.Core.Crypto;

/// <summary>
/// What a subkey of the <see cref="MasterKey"/> is for. Each purpose has its own fixed BLAKE3
/// <c>derive_key</c> context string, so no key ever serves two purposes.
/// </summary>
/// <remarks>
/// The context strings are part of the on-disk format (changing one makes every repository unreadable);
/// a new purpose gets a new member and a new string. Numeric values are not stored anywhere.
/// </remarks>
public enum KeyPurpose
{
    /// <summary>
    /// Seals data objects (chunks, trees, pack headers, snapshots, config, locks, audit segments, evidence)
    /// with the envelope. Context <c>"ForgeOne 2026-11-24 data encryption v1"</c>.
    /// </summary>
    DataEncryption = 1,

    /// <summary>
    /// Keys the BLAKE3 hash that names chunks, so chunk ids do not reveal hashes of known plaintext.
    /// Context <c>"ForgeOne 2026-11-24 chunk id v1"</c>.
    /// </summary>
    ChunkId = 2,

    /// <summary>
    /// Seeds the content-defined chunker's gear table, so chunk boundaries do not fingerprint known files.
    /// Context <c>"ForgeOne 2026-11-24 chunker gear v1"</c>.
    /// </summary>
    ChunkerGear = 3,

    /// <summary>
    /// Seals index objects (chunk id to pack maps). Context <c>"ForgeOne 2026-11-24 index v1"</c>.
    /// </summary>
    Index = 4,

    /// <summary>
    /// Seeds the Ed25519 key that signs the audit log and evidence packages. Context <c>"ForgeOne 2026-11-24 audit signing v1"</c>.
    /// </summary>
    AuditSigning = 5,

    /// <summary>
    /// Seals records kept by storage backends' metadata stores.
    /// Context <c>"ForgeOne 2026-11-24 store records v1"</c>.
    /// </summary>
    StoreRecords = 6,

    /// <summary>
    /// Keys the tags that stand in for names in a store's index tables (topics, blob names, consumers) and the ids
    /// of content-addressed blob chunks, so neither reveals a name or a hash of known content.
    /// Context <c>"ForgeOne 2026-11-24 store index v1"</c>.
    /// </summary>
    StoreIndex = 7,

    /// <summary>
    /// Seals the subject keys in a store's subject-key vault. Context <c>"ForgeOne 2026-11-24 subject vault v1"</c>.
    /// </summary>
    SubjectVault = 8,
}
