using System.Security.Cryptography;
using System.Text;
using ForgeOne.Core.Crypto;
using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>
/// Takes, lists and removes a repository's locks: shared locks for operations that may run together (backup,
/// restore, check) and exclusive locks for those that must run alone (prune).
/// </summary>
/// <remarks>
/// <para><b>Objects.</b> A lock is the object <c>locks/&lt;id&gt;</c>, where <c>id</c> is 32 random bytes in
/// lower-case hex: a small JSON document (host, user, process id and start time, exclusive, operation, created,
/// refreshed) sealed as <see cref="ObjectKind.Lock"/> with the ASCII id as associated data, under the
/// <see cref="KeyPurpose.DataEncryption"/> key. Storage is write-once, so a lock is never updated: refreshing it
/// writes a new object and deletes the old one. See docs/design.md, "Locks".</para>
/// <para><b>Taking a lock</b> (<see cref="AcquireAsync"/>), as restic does: list and open every lock; refuse if one
/// conflicts; write ours; list again, and if a conflicting lock appeared meanwhile, delete ours and refuse. Of two
/// processes racing, at most one wins (possibly neither), because the later of the two writes is always seen by
/// the other's second listing.</para>
/// <para><b>Stale locks</b> are those not refreshed for <see cref="RepositoryLockOptions.StaleAfter"/>, and those
/// of this host whose process is gone (its id is free, or used by a process that started at another time). They
/// are reported, never removed or skipped silently: a stale shared lock does not conflict with a shared request
/// anyway, but a stale exclusive lock, and any lock for an exclusive request, still blocks until someone runs
/// <see cref="RemoveStaleAsync"/> (<c>forge repo unlock</c>, <c>Unlock-ForgeRepository</c>).</para>
/// <para><b>Unreadable locks</b> (tampered with, sealed under another key, from a newer version) are treated as
/// held exclusively and reported; only <see cref="RemoveAllAsync"/> removes them. Objects under <c>locks/</c> whose
/// names are not lock ids are ignored.</para>
/// <para>The manager does not own the backend, sealer or opener; they must outlive it and every lock it hands out.
/// It is safe for concurrent use.</para>
/// </remarks>
public sealed class RepositoryLockManager
{
    /// <summary>The listing prefix of lock objects.</summary>
    public const string Prefix = "locks/";

    /// <summary>Longest accepted operation name.</summary>
    public const int MaxOperationLength = 64;

    private const int IdLength = 64;

    private static readonly int MaxSealedLength = Envelope.GetMaxSealedLength(LockRecord.MaxJsonLength);

    private readonly ObjectSealer _sealer;
    private readonly ObjectOpener _opener;

    /// <summary>Creates a manager for one repository.</summary>
    /// <param name="backend">The repository's storage.</param>
    /// <param name="sealer">Seals lock objects; from <see cref="MasterKey.CreateSealer"/> with
    /// <see cref="KeyPurpose.DataEncryption"/>.</param>
    /// <param name="opener">Opens lock objects; from <see cref="MasterKey.CreateOpener"/> with
    /// <see cref="KeyPurpose.DataEncryption"/>.</param>
    /// <param name="options">Timing; null for <see cref="RepositoryLockOptions.Default"/>.</param>
    /// <param name="timeProvider">The clock for lock times, staleness and refreshes; null for
    /// <see cref="TimeProvider.System"/>. Tests pass their own.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The options cannot work together (see
    /// <see cref="RepositoryLockOptions"/>).</exception>
    public RepositoryLockManager(IStorageBackend backend, ObjectSealer sealer, ObjectOpener opener,
        RepositoryLockOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(sealer);
        ArgumentNullException.ThrowIfNull(opener);
        options ??= RepositoryLockOptions.Default;
        options.Validate();
        Backend = backend;
        _sealer = sealer;
        _opener = opener;
        Options = options;
        Time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The timing this manager uses.</summary>
    public RepositoryLockOptions Options { get; }

    internal IStorageBackend Backend { get; }

    internal TimeProvider Time { get; }

    /// <summary>
    /// Takes a shared or exclusive lock on the repository and keeps it refreshed until it is disposed.
    /// </summary>
    /// <param name="exclusive">True for an operation that must run alone (prune); false for one that may run
    /// alongside other shared operations (backup, restore, check).</param>
    /// <param name="operation">What the lock is for, shown to other users: <c>backup</c>, <c>prune</c>, … At most
    /// <see cref="MaxOperationLength"/> characters, no control characters.</param>
    /// <param name="cancellationToken">Cancels taking the lock. A cancelled call leaves no lock behind.</param>
    /// <returns>The held lock. Dispose it when the operation ends, and call
    /// <see cref="RepositoryLock.ThrowIfLost"/> between steps and before committing.</returns>
    /// <exception cref="ArgumentException"><paramref name="operation"/> is empty, too long or has control
    /// characters.</exception>
    /// <exception cref="RepositoryLockedException">A conflicting lock is held (including stale and unreadable
    /// ones, which are marked in the message), or appeared while this one was being taken.</exception>
    /// <exception cref="StorageException">The storage could not be listed, read or written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// If taking the lock fails after its object was written, the object is deleted before the exception
    /// propagates. Only if that delete fails too does the object stay; it then turns stale on its own.
    /// </remarks>
    public async Task<RepositoryLock> AcquireAsync(bool exclusive, string operation,
        CancellationToken cancellationToken = default)
    {
        ValidateOperation(operation);

        var failures = new List<Exception>();
        var existing = await ReadLocksAsync(known: null, failures, cancellationToken).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        var conflicts = Conflicts(existing.Values, exclusive);
        if (conflicts.Count > 0)
        {
            throw Locked(operation, exclusive, conflicts, now, concurrent: false, failures);
        }

        var id = NewId();
        var record = new LockRecord(Environment.MachineName, Environment.UserName, Environment.ProcessId,
            ProcessLiveness.CurrentProcessStart, exclusive, operation, now, now);
        await WriteAsync(id, record, cancellationToken).ConfigureAwait(false);
        try
        {
            // The race check: a lock written while we listed is seen now, or sees ours in its own second listing.
            var after = await ReadLocksAsync(existing, failures, cancellationToken).ConfigureAwait(false);
            after.Remove(id);
            conflicts = Conflicts(after.Values, exclusive);
            if (conflicts.Count > 0)
            {
                throw Locked(operation, exclusive, conflicts, Time.GetUtcNow(), concurrent: true, failures);
            }

            var held = new RepositoryLock(this, id, record);
            held.StartRefreshing();
            return held;
        }
        catch
        {
            await DeleteAfterFailureAsync(id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Lists every lock in the repository, with staleness judged now.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The locks, oldest first; locks that could not be read last (with <see cref="LockInfo.Problem"/>
    /// set).</returns>
    /// <exception cref="StorageException">The storage could not be listed or read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<LockInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var locks = await ReadLocksAsync(known: null, failures: null, cancellationToken).ConfigureAwait(false);
        return Sort(locks.Values);
    }

    /// <summary>
    /// Removes the stale locks (see <see cref="LockInfo.IsStale"/>): those not refreshed for
    /// <see cref="RepositoryLockOptions.StaleAfter"/>, and those of this host whose process is gone. What
    /// <c>forge repo unlock</c> and <c>Unlock-ForgeRepository</c> do.
    /// </summary>
    /// <param name="cancellationToken">Cancels the removal; locks removed so far stay removed.</param>
    /// <returns>How many locks were removed. Live and unreadable locks are kept.</returns>
    /// <exception cref="StorageException">The storage could not be listed, read or written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<int> RemoveStaleAsync(CancellationToken cancellationToken = default)
    {
        var locks = await ReadLocksAsync(known: null, failures: null, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var info in Sort(locks.Values))
        {
            if (info.IsStale)
            {
                await Backend.DeleteAsync(ObjectName(info.Id), cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes every lock, live, stale or unreadable, without reading any. What
    /// <c>forge repo unlock --remove-all</c> does; only safe when no ForgeOne process uses the repository, since a
    /// running operation loses its lock (it notices at its next refresh, see <see cref="RepositoryLock.IsLost"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the removal; locks removed so far stay removed.</param>
    /// <returns>How many lock objects were removed.</returns>
    /// <exception cref="StorageException">The storage could not be listed or written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<int> RemoveAllAsync(CancellationToken cancellationToken = default)
    {
        // Collect first: deleting while a listing runs is allowed but would make the listing's result depend on it.
        var ids = new List<string>();
        await foreach (var item in Backend.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryGetId(item.Name, out var id))
            {
                ids.Add(id);
            }
        }

        foreach (var id in ids)
        {
            await Backend.DeleteAsync(ObjectName(id), cancellationToken).ConfigureAwait(false);
        }

        return ids.Count;
    }

    /// <summary>
    /// Removes one lock by id, whatever its state: what <c>Unlock-ForgeRepository</c> does for each lock it has
    /// listed (with <see cref="ListAsync"/>) and the user confirmed.
    /// </summary>
    /// <param name="id">The lock's id, <see cref="LockInfo.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when no lock has that id; a lock already gone (released or refreshed under a new
    /// id since it was listed) is not an error.</returns>
    /// <remarks>Removing a live lock makes its holder stop at its next refresh (see <see cref="RepositoryLock.IsLost"/>).</remarks>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a lock id (64 lower-case hex digits).</exception>
    /// <exception cref="StorageException">The storage could not be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!TryGetId(ObjectName(id), out _))
        {
            throw new ArgumentException($"'{id}' is not a lock id: lock ids are {IdLength} lower-case hex digits.", nameof(id));
        }

        return Backend.DeleteAsync(ObjectName(id), cancellationToken);
    }

    internal static string ObjectName(string id) => Prefix + id;

    internal static string NewId() => RandomNumberGenerator.GetHexString(IdLength, lowercase: true);

    /// <summary>Seals and writes a lock object.</summary>
    internal Task WriteAsync(string id, LockRecord record, CancellationToken cancellationToken)
    {
        var sealedLock = _sealer.Seal(ObjectKind.Lock, Encoding.ASCII.GetBytes(id), record.ToJson());
        return Backend.WriteOnceAsync(ObjectName(id), sealedLock, cancellationToken);
    }

    /// <summary>Describes a lock read now, judging whether it is stale.</summary>
    internal LockInfo Describe(string id, LockRecord record, DateTimeOffset now)
    {
        var staleReason = GetStaleReason(record, now);
        return new LockInfo
        {
            Id = id,
            Host = record.Host,
            User = record.User,
            ProcessId = record.ProcessId,
            ProcessStart = record.ProcessStart,
            Exclusive = record.Exclusive,
            Operation = record.Operation,
            Created = record.Created,
            Refreshed = record.Refreshed,
            IsStale = staleReason is not null,
            StaleReason = staleReason,
        };
    }

    private string? GetStaleReason(LockRecord record, DateTimeOffset now)
    {
        var sinceRefresh = now - record.Refreshed;
        if (sinceRefresh > Options.StaleAfter)
        {
            return $"not refreshed for {LockMessages.Duration(sinceRefresh)}, longer than " +
                $"{LockMessages.Duration(Options.StaleAfter)}";
        }

        // Process ids mean something only on the host that wrote them.
        if (!string.Equals(record.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var host = LockMessages.Clean(record.Host);
        return ProcessLiveness.Check(record.ProcessId, record.ProcessStart, out var actualStart) switch
        {
            ProcessLiveness.Status.NotRunning => $"process {record.ProcessId} is no longer running on {host}",
            ProcessLiveness.Status.Replaced =>
                $"process {record.ProcessId} on {host} is a different process (started {actualStart:u}, the lock's " +
                $"holder started {record.ProcessStart:u}), so the holder is gone",
            _ => null,
        };
    }

    /// <summary>Lists and opens the locks; <paramref name="known"/> ones are not read again.</summary>
    private async Task<Dictionary<string, LockInfo>> ReadLocksAsync(Dictionary<string, LockInfo>? known,
        List<Exception>? failures, CancellationToken cancellationToken)
    {
        var listed = new List<StorageObject>();
        await foreach (var item in Backend.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(item);
        }

        var now = Time.GetUtcNow();
        var locks = new Dictionary<string, LockInfo>(StringComparer.Ordinal);
        foreach (var item in listed)
        {
            if (!TryGetId(item.Name, out var id))
            {
                continue;
            }

            if (known is not null && known.TryGetValue(id, out var seen))
            {
                locks[id] = seen;
                continue;
            }

            var info = await ReadLockAsync(id, item.Length, now, failures, cancellationToken).ConfigureAwait(false);
            if (info is not null)
            {
                locks[id] = info;
            }
        }

        return locks;
    }

    /// <summary>Reads one lock; null when it was deleted since it was listed (a refresh or a release).</summary>
    private async Task<LockInfo?> ReadLockAsync(string id, long listedLength, DateTimeOffset now,
        List<Exception>? failures, CancellationToken cancellationToken)
    {
        if (listedLength > MaxSealedLength)
        {
            return Unreadable(id, $"it is {listedLength} bytes, more than a lock can be");
        }

        byte[] sealedLock;
        try
        {
            sealedLock = await Backend.ReadAllAsync(ObjectName(id), MaxSealedLength, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StorageObjectNotFoundException)
        {
            return null;
        }

        try
        {
            var json = _opener.Open(ObjectKind.Lock, Encoding.ASCII.GetBytes(id), sealedLock, LockRecord.MaxJsonLength);
            return Describe(id, LockRecord.Parse(json, id), now);
        }
        catch (Exception ex) when (ex is IntegrityException or UnsupportedFormatException)
        {
            failures?.Add(ex);
            return Unreadable(id, ex switch
            {
                ObjectAuthenticationException =>
                    "it failed authentication: it was modified, renamed, or sealed under another repository's key",
                TruncatedObjectException => "it is truncated",
                ObjectTooLargeException => "it is larger than a lock can be",
                MalformedObjectException malformed => $"it is malformed: {malformed.Problem}",
                UnsupportedFormatException unsupported =>
                    $"it uses {unsupported.Feature} {unsupported.Found}, which this version of ForgeOne does not " +
                    "know; a newer ForgeOne may have written it",
                _ => ex.Message,
            });
        }
    }

    private static LockInfo Unreadable(string id, string problem) => new()
    {
        Id = id,
        Host = "",
        User = "",
        ProcessId = 0,
        Exclusive = true,
        Operation = "",
        IsStale = false,
        Problem = problem,
    };

    /// <summary>The locks that keep a lock of the wanted kind from being taken.</summary>
    private static List<LockInfo> Conflicts(IEnumerable<LockInfo> locks, bool exclusive) =>
        Sort(locks.Where(other => exclusive || other.Exclusive));

    private static List<LockInfo> Sort(IEnumerable<LockInfo> locks) =>
        [.. locks.OrderBy(info => info.Problem is null ? 0 : 1)
            .ThenBy(info => info.Created ?? DateTimeOffset.MaxValue)
            .ThenBy(info => info.Id, StringComparer.Ordinal)];

    private RepositoryLockedException Locked(string operation, bool exclusive, List<LockInfo> conflicts,
        DateTimeOffset now, bool concurrent, List<Exception> failures)
    {
        var inner = failures.Count switch
        {
            0 => null,
            1 => failures[0],
            _ => new AggregateException(failures),
        };
        return new RepositoryLockedException(Backend.Location, operation, exclusive, conflicts, now, concurrent, inner);
    }

    private async Task DeleteAfterFailureAsync(string id)
    {
        try
        {
            // Not the caller's token: a cancelled acquisition must still take its lock back.
            await Backend.DeleteAsync(ObjectName(id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // The original failure matters more; the object turns stale by itself (30 minutes, or when this
            // process exits), and `forge repo unlock` then removes it.
        }
    }

    private static bool TryGetId(string name, out string id)
    {
        id = "";
        if (name.Length != Prefix.Length + IdLength || !name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var candidate = name.AsSpan(Prefix.Length);
        foreach (var c in candidate)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        id = candidate.ToString();
        return true;
    }

    private static void ValidateOperation(string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        if (operation.Length > MaxOperationLength || operation.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"The operation name must be at most {MaxOperationLength} characters without control characters, " +
                "for example \"backup\".", nameof(operation));
        }
    }
}
