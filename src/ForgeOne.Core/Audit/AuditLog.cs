using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Snapshots;
using ForgeRepository = ForgeOne.Core.Repository.Repository;

namespace ForgeOne.Core.Audit;

/// <summary>
/// The immutable, signed audit log of a repository (or, through another <see cref="IAuditStorage"/>, a store):
/// append records, read them back filtered, read the head for snapshots, and verify the whole chain
/// (docs/design.md, "Audit log").
/// </summary>
/// <remarks>
/// <para><b>Appending never forks.</b> A record is built on the head (sequence n, hash h) as record n+1 chaining to h,
/// signed, and stored write-once in slot n+1. If another writer (thread, process, machine) took that slot first, the
/// record is rebuilt on the winner and tried at n+2, and so on: every record lands in its own slot, each chaining to
/// the one before, however many writers race.</para>
/// <para><b>Failed access.</b> A record is sealed with the data key and signed with a key derived from the master
/// key, so an attempt that never unlocks the master key (a wrong passphrase at open) cannot be written into a
/// repository's log without breaking what makes the log trustworthy; front ends report such attempts locally.
/// <see cref="AppendFailedAccessAsync"/> records denials seen by a process that holds the keys (a store's server
/// refusing a client, a policy refusing an operation).</para>
/// <para><b>Thread-safety:</b> every member may be called from any number of threads; appends by one instance are
/// serialised, appends by different instances race safely. <see cref="Dispose"/> must come last.</para>
/// </remarks>
public sealed class AuditLog : IDisposable
{
    // After this many lost races in a row, find the head by listing instead of stepping one slot at a time.
    private const int StepsBeforeRelist = 16;

    private readonly IAuditStorage _storage;
    private readonly AuditSigningKey _signingKey;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private AuditHead? _head;
    private bool _keyPublished;
    private int _disposed;

    /// <summary>Creates a log over any storage, signing with <paramref name="signingKey"/>.</summary>
    /// <param name="storage">Where the records live.</param>
    /// <param name="signingKey">The log's signing key; owned from now on, disposed with the log.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AuditLog(IAuditStorage storage, AuditSigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(signingKey);
        _storage = storage;
        _signingKey = signingKey;
    }

    /// <summary>Where the records live.</summary>
    public IAuditStorage Storage => _storage;

    /// <summary>Where the log is, for messages.</summary>
    public string Location => _storage.Location;

    /// <summary>The public half of this log's signing key: what records are verified with by default, what
    /// <c>audit/key</c> publishes and what evidence packages carry.</summary>
    public AuditPublicKey PublicKey => _signingKey.PublicKey;

    /// <summary>The signing key, for evidence packages, whose manifests the same key signs.</summary>
    internal AuditSigningKey SigningKey => _signingKey;

    /// <summary>Opens the audit log of an open repository (records under <c>audit/records/</c>).</summary>
    /// <param name="repository">The repository; not owned, and must stay open while the log is used.</param>
    /// <returns>The log; dispose it to zero its signing key. Opening reads and writes nothing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The repository was disposed.</exception>
    public static AuditLog Open(ForgeRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Span<byte> seed = stackalloc byte[MasterKey.Size];
        try
        {
            repository.DeriveAuditSigningSeed(seed);
            return new AuditLog(new RepositoryAuditStorage(repository), AuditSigningKey.FromSeed(seed));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The audit heads recorded by a repository's snapshots (<see cref="Snapshot.AuditHead"/>), to verify against:
    /// a log cut back after any of these snapshots fails as <see cref="AuditFailureReason.Truncated"/>.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One head per snapshot that has one, in snapshot id order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="repository"/> is null.</exception>
    /// <exception cref="MalformedObjectException">A snapshot's <c>auditHead</c> is not <c>&lt;sequence&gt;:&lt;hash&gt;</c>.</exception>
    /// <exception cref="IntegrityException">A snapshot fails its checks.</exception>
    /// <exception cref="Storage.StorageException">The storage could not be read.</exception>
    public static async Task<IReadOnlyList<AuditHead>> ReadSnapshotAnchorsAsync(ForgeRepository repository,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var anchors = new List<AuditHead>();
        await foreach (var (id, json) in repository.LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = Snapshot.FromJson(json, id).AuditHead;
            if (text is null)
            {
                continue;
            }

            anchors.Add(AuditHead.TryParse(text, out var head)
                ? head
                : throw new MalformedObjectException(ObjectKind.Snapshot, id,
                    $"its auditHead '{CanonicalJson.Truncate(text)}' is not '<sequence>:<hash>'"));
        }

        return anchors;
    }

    /// <summary>Appends a record: the next sequence number, chained to the head, signed, stored write-once.</summary>
    /// <param name="auditEvent">What happened.</param>
    /// <param name="cancellationToken">Cancels the append; no record is stored then (or the whole record is).</param>
    /// <returns>The record as stored.</returns>
    /// <remarks>The first append of an instance also publishes the public key (<c>audit/key</c>) if the log has none.
    /// A published key that differs is left alone and reported by <see cref="VerifyAsync"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is null.</exception>
    /// <exception cref="ArgumentException">A field is invalid (see <see cref="AuditEvent"/>), or the record would be
    /// larger than <see cref="AuditRecord.MaxJsonLength"/>.</exception>
    /// <exception cref="AuditRecordDamagedException">The head record cannot be read or is not authentic, so the new
    /// record has nothing trustworthy to chain to.</exception>
    /// <exception cref="Storage.StorageException">The storage could not be read or written.</exception>
    /// <exception cref="ObjectDisposedException">The log or its repository was disposed.</exception>
    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        auditEvent.Validate();
        ThrowIfDisposed();
        var time = auditEvent.Time ?? DateTimeOffset.UtcNow;
        var actor = auditEvent.Actor ?? AuditActor.Current();
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishKeyOnceAsync(cancellationToken).ConfigureAwait(false);
            var head = _head ?? await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                // Rebuilt on every attempt: sequence, previous hash, hash and signature all follow the head.
                var record = AuditRecord.Create(auditEvent, head, time, actor, _signingKey);
                var json = record.ToJson();
                if (json.Length > AuditRecord.MaxJsonLength)
                {
                    throw new ArgumentException(
                        $"The audit record for '{auditEvent.Operation}' would be {json.Length} bytes; records are at most " +
                        $"{AuditRecord.MaxJsonLength}. Record fewer or shorter parameters.", nameof(auditEvent));
                }

                if (await _storage.TryCreateAsync(record.Sequence, json, cancellationToken).ConfigureAwait(false))
                {
                    _head = record.Head;
                    return record;
                }

                head = attempt % StepsBeforeRelist == 0
                    ? await ReadHeadAsync(cancellationToken).ConfigureAwait(false)
                    : await ReadVerifiedHeadAsync(record.Sequence, cancellationToken).ConfigureAwait(false)
                        ?? await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>Appends a <see cref="AuditOutcome.Denied"/> record for a refused attempt (wrong credentials presented
    /// to a process that holds the keys, a permission or policy that forbids the operation).</summary>
    /// <param name="operation">What was attempted, for example <see cref="AuditOperations.Open"/>.</param>
    /// <param name="target">What it was attempted on.</param>
    /// <param name="error">Why it was refused; never the credentials themselves.</param>
    /// <param name="actor">Who attempted it; null for this process.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The record as stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is empty, or a field is invalid.</exception>
    /// <exception cref="AuditRecordDamagedException">The head record cannot be read or is not authentic.</exception>
    /// <exception cref="Storage.StorageException">The storage could not be read or written.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public Task<AuditRecord> AppendFailedAccessAsync(string operation, string target, string error, AuditActor? actor = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return AppendAsync(new AuditEvent
        {
            Operation = operation,
            Target = target,
            Outcome = AuditOutcome.Denied,
            Error = error,
            Actor = actor,
        }, cancellationToken);
    }

    /// <summary>
    /// Reads the log's current head from storage (not from this instance's cache), checking the head record's hash and
    /// signature. A backup stores it in <see cref="Snapshot.AuditHead"/> (<see cref="AuditHead.ToString"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head; <see cref="AuditHead.Genesis"/> for an empty log.</returns>
    /// <exception cref="AuditRecordDamagedException">The head record cannot be read or is not authentic.</exception>
    /// <exception cref="Storage.StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ReadHeadAsync(cancellationToken);
    }

    /// <summary>Reads records in sequence order, filtered. Records are not verified here; use <see cref="VerifyAsync"/>.</summary>
    /// <param name="query">The filters; null for every record.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching records.</returns>
    /// <exception cref="AuditRecordDamagedException">A stored record cannot be opened or parsed (thrown when reached).</exception>
    /// <exception cref="Storage.StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async IAsyncEnumerable<AuditRecord> QueryAsync(AuditQuery? query = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        query ??= new AuditQuery();
        var from = Math.Max(1, query.FromSequence ?? 1);
        await foreach (var stored in _storage.ReadAllAsync(from, cancellationToken).ConfigureAwait(false))
        {
            var record = ParseStored(stored);
            if (query.Matches(record))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Verifies the whole log: every record opens and parses, sits in its own slot, in gapless order from 1, hashes to
    /// its hash, is signed with the trusted key and chains to the one before; every anchor is reached with its hash;
    /// and the published key is the trusted key. Reports the first bad sequence number and why.
    /// </summary>
    /// <param name="anchors">Heads recorded earlier: snapshots' (<see cref="ReadSnapshotAnchorsAsync"/>), an evidence
    /// package's, or one the caller kept. Null for none (then a cut-off tail cannot be noticed).</param>
    /// <param name="trustedKey">The key the records must be signed with; null for this log's own key (derived from the
    /// master key, so it needs no trust in anything stored).</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result; a failed check is a result, not an exception.</returns>
    /// <exception cref="Storage.StorageException">The storage could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    public async Task<AuditVerification> VerifyAsync(IEnumerable<AuditHead>? anchors = null, AuditPublicKey? trustedKey = null,
        CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var key = trustedKey ?? PublicKey;
        var result = await AuditVerifier.VerifyEntriesAsync(ReadEntriesAsync(cancellationToken), key, anchors, cancellationToken)
            .ConfigureAwait(false);
        if (!result.Passed)
        {
            return result;
        }

        string? problem;
        try
        {
            var published = await _storage.ReadPublicKeyAsync(cancellationToken).ConfigureAwait(false);
            problem = published is null || published.Equals(key)
                ? null
                : $"the published audit key is {published}, not the trusted key {key}. Someone replaced it; give auditors " +
                  "the key from an evidence package or from the repository's credentials instead";
        }
        catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
        {
            problem = $"the published audit key cannot be read ({ex.Message})";
        }

        return problem is null
            ? result
            : result with
            {
                Passed = false,
                Reason = AuditFailureReason.KeyMismatch,
                Message = $"The records verify, but {problem}.",
            };
    }

    /// <summary>Zeroes the signing key. The storage (and repository) are not disposed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _signingKey.Dispose();
            _appendGate.Dispose();
        }
    }

    private async IAsyncEnumerable<AuditChainEntry> ReadEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var stored in _storage.ReadAllAsync(1, cancellationToken).ConfigureAwait(false))
        {
            if (stored.Json is null)
            {
                yield return new AuditChainEntry(stored.Slot, null, stored.Failure?.Message ?? "it cannot be opened");
                continue;
            }

            AuditRecord? record = null;
            string? failure = null;
            try
            {
                record = AuditRecord.Parse(stored.Json);
            }
            catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
            {
                failure = ex.Message;
            }

            yield return new AuditChainEntry(stored.Slot, record, failure);
        }
    }

    private async Task PublishKeyOnceAsync(CancellationToken cancellationToken)
    {
        if (_keyPublished)
        {
            return;
        }

        try
        {
            if (await _storage.ReadPublicKeyAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await _storage.TryPublishPublicKeyAsync(PublicKey, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
        {
            // A damaged key object is evidence: it stays as it is, and verification reports it.
        }

        _keyPublished = true;
    }

    private async Task<AuditHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var last = await _storage.GetLastSlotAsync(cancellationToken).ConfigureAwait(false);
        if (last == 0)
        {
            return AuditHead.Genesis;
        }

        return await ReadVerifiedHeadAsync(last, cancellationToken).ConfigureAwait(false)
            ?? throw new AuditRecordDamagedException(Location, last, "it disappeared while it was being read (deleted?)");
    }

    /// <summary>The head that slot <paramref name="slot"/> makes, after checking its record; null if the slot is empty.</summary>
    private async Task<AuditHead?> ReadVerifiedHeadAsync(long slot, CancellationToken cancellationToken)
    {
        var stored = await _storage.ReadAsync(slot, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var record = ParseStored(stored);
        if (record.Sequence != slot)
        {
            throw new AuditRecordDamagedException(Location, slot, $"its slot holds record {record.Sequence}");
        }

        if (record.ComputeHash() != record.Hash)
        {
            throw new AuditRecordDamagedException(Location, slot, "its fields do not match its hash");
        }

        if (!AuditVerifier.HasValidSignature(record, PublicKey))
        {
            throw new AuditRecordDamagedException(Location, slot, "its signature does not verify with this log's key");
        }

        return record.Head;
    }

    private AuditRecord ParseStored(StoredAuditRecord stored)
    {
        if (stored.Json is null)
        {
            throw new AuditRecordDamagedException(Location, stored.Slot, stored.Failure?.Message ?? "it cannot be opened",
                stored.Failure);
        }

        try
        {
            return AuditRecord.Parse(stored.Json);
        }
        catch (Exception ex) when (ex is MalformedObjectException or UnsupportedFormatException)
        {
            throw new AuditRecordDamagedException(Location, stored.Slot, ex.Message, ex);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
