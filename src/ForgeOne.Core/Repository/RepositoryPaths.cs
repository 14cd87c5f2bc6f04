namespace ForgeOne.Core.Repository;

/// <summary>
/// The object names of a repository (format version 1), as specified in docs/design.md, "Repository format".
/// </summary>
/// <remarks>
/// <code>
/// config                      the repository config (sealed)
/// keys/&lt;slot id&gt;             one key slot per object (16 hex digits)
/// data/&lt;h[0..2]&gt;/&lt;h&gt;          pack files; h = BLAKE3 of the pack's bytes (64 hex digits)
/// index/&lt;h&gt;                  index files; h = BLAKE3 of the sealed bytes
/// snapshots/&lt;h&gt;              snapshots; h = BLAKE3 of the sealed bytes
/// locks/&lt;r&gt;                  locks; r = 32 random bytes in hex
/// audit/key                   the audit log's Ed25519 public key (JSON, not sealed)
/// audit/records/&lt;n&gt;          audit records; n = sequence number, 20 decimal digits (sealed)
/// </code>
/// Ids in names are always lower-case hex. Names follow the storage name rules, so they are the same on every backend.
/// </remarks>
public static class RepositoryPaths
{
    /// <summary>The config object's name: <c>config</c>. Written last by init, so its presence marks a repository.</summary>
    public const string Config = "config";

    /// <summary>Prefix of key slot objects: <c>keys/</c>.</summary>
    public const string KeysPrefix = "keys/";

    /// <summary>Prefix of pack files: <c>data/</c>.</summary>
    public const string DataPrefix = "data/";

    /// <summary>Prefix of index files: <c>index/</c>.</summary>
    public const string IndexPrefix = "index/";

    /// <summary>Prefix of snapshot objects: <c>snapshots/</c>.</summary>
    public const string SnapshotsPrefix = "snapshots/";

    /// <summary>Prefix of lock objects: <c>locks/</c>.</summary>
    public const string LocksPrefix = "locks/";

    /// <summary>Prefix of audit log objects: <c>audit/</c>.</summary>
    public const string AuditPrefix = "audit/";

    /// <summary>Prefix of audit records: <c>audit/records/</c>.</summary>
    public const string AuditRecordsPrefix = "audit/records/";

    /// <summary>The audit log's published public key: <c>audit/key</c> (JSON, readable without credentials).</summary>
    public const string AuditKey = "audit/key";

    /// <summary>Digits of the sequence number in an audit record's name; zero-padded so names sort in sequence order.</summary>
    public const int AuditSequenceDigits = 20;

    /// <summary>The name of an audit record: <c>audit/records/&lt;sequence, 20 digits&gt;</c>.</summary>
    /// <param name="sequence">The record's sequence number, 1 or more.</param>
    /// <returns>The object name, for example <c>audit/records/00000000000000000042</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    public static string AuditRecord(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return AuditRecordsPrefix + sequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The name of a key slot: <c>keys/&lt;slot id&gt;</c>.</summary>
    /// <param name="slotId">The slot's 16-hex-digit id.</param>
    /// <returns>The object name.</returns>
    /// <exception cref="ArgumentException"><paramref name="slotId"/> is empty.</exception>
    public static string Key(string slotId)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotId);
        return KeysPrefix + slotId;
    }

    /// <summary>The name of a pack file: <c>data/&lt;first 2 hex digits&gt;/&lt;64 hex digits&gt;</c>.</summary>
    /// <param name="id">The pack's id.</param>
    /// <returns>The object name.</returns>
    public static string Pack(PackId id)
    {
        var hex = id.ToString();
        return string.Concat(DataPrefix, hex.AsSpan(0, 2), "/", hex);
    }

    /// <summary>The name of an index file: <c>index/&lt;64 hex digits&gt;</c>.</summary>
    /// <param name="indexId">The index file's id (BLAKE3 of its sealed bytes, lower-case hex).</param>
    /// <returns>The object name.</returns>
    /// <exception cref="ArgumentException"><paramref name="indexId"/> is not 64 lower-case hex digits.</exception>
    public static string Index(string indexId) => IndexPrefix + RequireHashId(indexId, nameof(indexId));

    /// <summary>The name of a snapshot: <c>snapshots/&lt;64 hex digits&gt;</c>.</summary>
    /// <param name="snapshotId">The snapshot's id (BLAKE3 of its sealed bytes, lower-case hex).</param>
    /// <returns>The object name.</returns>
    /// <exception cref="ArgumentException"><paramref name="snapshotId"/> is not 64 lower-case hex digits.</exception>
    public static string Snapshot(string snapshotId) => SnapshotsPrefix + RequireHashId(snapshotId, nameof(snapshotId));

    /// <summary>The name of a lock: <c>locks/&lt;64 hex digits&gt;</c>.</summary>
    /// <param name="lockId">The lock's 32 random bytes in lower-case hex.</param>
    /// <returns>The object name.</returns>
    /// <exception cref="ArgumentException"><paramref name="lockId"/> is not 64 lower-case hex digits.</exception>
    public static string Lock(string lockId) => LocksPrefix + RequireHashId(lockId, nameof(lockId));

    /// <summary>True when <paramref name="id"/> is 64 lower-case hex digits, the form of every hash-named object.</summary>
    /// <param name="id">The text to check.</param>
    /// <returns>True for a well-formed id.</returns>
    public static bool IsHashId(string? id) => HexId.IsCanonical(id);

    private static string RequireHashId(string id, string parameterName)
    {
        if (!HexId.IsCanonical(id))
        {
            throw new ArgumentException(
                $"'{id}' is not an object id; ids in object names are {HexId.HexLength} lower-case hex digits.", parameterName);
        }

        return id;
    }
}
