namespace ForgeOne.Core.Snapshots;

/// <summary>One database of a store backup.</summary>
/// <param name="Database">Its file name, for example <c>logs_shard_0.redb</c>.</param>
/// <param name="LogicalDna">The BLAKE3 of its decrypted content in canonical order (docs/store.md, "Logical DNA"), 64 hex digits.</param>
/// <param name="Bytes">The size of the snapshot file backed up.</param>
public sealed record StoreManifestEntry(string Database, string LogicalDna, long Bytes);
