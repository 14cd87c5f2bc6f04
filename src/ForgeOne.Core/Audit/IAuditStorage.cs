namespace ForgeOne.Core.Audit;

/// <summary>
/// Where an audit log's records live: write-once slots numbered from 1, and the published public key. The repository
/// keeps them as sealed objects (<see cref="RepositoryAuditStorage"/>); a store can keep them in system.redb.
/// </summary>
/// <remarks>
/// <para>The contract <see cref="AuditLog"/> relies on:</para>
/// <list type="bullet">
/// <item><description><b>Write-once slots.</b> <see cref="TryCreateAsync"/> stores a record under a slot number
/// atomically, or returns false if the slot is taken, leaving it unchanged; of any number of concurrent writers of one
/// slot, in any number of processes, exactly one succeeds. This is what keeps the chain from forking.</description></item>
/// <item><description><b>Protected at rest.</b> The storage seals what it stores (confidentiality and integrity), and
/// reports bytes that fail its check as <see cref="StoredAuditRecord.Failure"/> instead of throwing, so a verifier can
/// name the damaged record.</description></item>
/// <item><description><b>No rewriting.</b> Nothing is ever replaced in place; records are only added (and removed by
/// an attacker, which verification detects).</description></item>
/// <item><description>Storage failures throw the storage's own exceptions; cancellation throws
/// <see cref="OperationCanceledException"/>. Implementations are safe to call from many threads.</description></item>
/// </list>
/// </remarks>
public interface IAuditStorage
{
    /// <summary>Where the log is, for messages; never contains credentials.</summary>
    string Location { get; }

    /// <summary>The highest slot number that holds a record, even if lower slots are missing.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The slot number; 0 when the log is empty.</returns>
    Task<long> GetLastSlotAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads one slot.</summary>
    /// <param name="slot">The slot number, 1 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored record (or its failure), or null when the slot is empty.</returns>
    Task<StoredAuditRecord?> ReadAsync(long slot, CancellationToken cancellationToken = default);

    /// <summary>Stores a record's JSON under a slot, if the slot is free.</summary>
    /// <param name="slot">The slot number: the record's sequence number.</param>
    /// <param name="json">The record's JSON.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is stored then.</param>
    /// <returns>True when stored; false when the slot was taken (by another writer), which is left unchanged.</returns>
    Task<bool> TryCreateAsync(long slot, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default);

    /// <summary>Reads every record from a slot on, in slot order; empty slots are skipped.</summary>
    /// <param name="fromSlot">The first slot to return, 1 or more.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The stored records in ascending slot order.</returns>
    IAsyncEnumerable<StoredAuditRecord> ReadAllAsync(long fromSlot = 1, CancellationToken cancellationToken = default);

    /// <summary>Reads the published public key, which anyone may read without credentials.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The key, or null when none was published yet.</returns>
    /// <exception cref="Crypto.MalformedObjectException">The published key object does not parse.</exception>
    Task<AuditPublicKey?> ReadPublicKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes the public key once, write-once like records.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when published; false when a key was published already (left unchanged, whatever it is).</returns>
    Task<bool> TryPublishPublicKeyAsync(AuditPublicKey key, CancellationToken cancellationToken = default);
}
