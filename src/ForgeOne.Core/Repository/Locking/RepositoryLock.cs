using ForgeOne.Core.Storage;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>
/// A held repository lock, from <see cref="RepositoryLockManager.AcquireAsync"/>. It refreshes itself in the
/// background and is released by <see cref="DisposeAsync"/> or <see cref="ReleaseAsync"/>.
/// </summary>
/// <remarks>
/// <para><b>Refresh.</b> Every <see cref="RepositoryLockOptions.RefreshInterval"/> the lock checks that its object
/// still exists, writes a new object with the current time as <c>refreshed</c> under a new random id, and then
/// deletes the old one (storage is write-once, so nothing is updated in place). <see cref="Id"/> and
/// <see cref="Info"/> follow. An old object that cannot be deleted is retried at the next refresh and on
/// release.</para>
/// <para><b>Losing the lock.</b> The lock is lost when its object has disappeared (someone ran
/// <c>forge repo unlock --remove-all</c>, or removed it as stale while this process hung), or when a refresh fails
/// and the next attempt would come after <see cref="RepositoryLockOptions.StaleAfter"/> has passed since the last
/// successful one, so other processes may judge it stale (by default, after refreshes have failed for 25 minutes).
/// A single failed refresh is only retried. A lost lock stops refreshing and is never recreated, because another
/// process may already have taken the repository. Long operations must call <see cref="ThrowIfLost"/> between
/// steps and right before committing (writing a snapshot, deleting packs), or watch <see cref="LostToken"/>.</para>
/// <para>All members are safe to call from any thread.</para>
/// </remarks>
public sealed class RepositoryLock : IAsyncDisposable
{
    private readonly RepositoryLockManager _manager;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    // Every object of this lock that may still exist: the current one, and superseded ones not yet deleted.
    private readonly HashSet<string> _objects = new(StringComparer.Ordinal);

    private string _id;
    private LockRecord _record;
    private DateTimeOffset _lastRefreshed;
    private int _failedRefreshes;
    private Exception? _lastFailure;
    private string? _lostReason;
    private Exception? _lostCause;
    private bool _released;
    private int _disposed;
    private Task _refreshLoop = Task.CompletedTask;

    internal RepositoryLock(RepositoryLockManager manager, string id, LockRecord record)
    {
        _manager = manager;
        _id = id;
        _record = record;
        _lastRefreshed = record.Refreshed;
        _objects.Add(id);
        LostToken = _lost.Token;
    }

    /// <summary>The id of the lock's current object, <c>locks/&lt;id&gt;</c>; changes at every refresh.</summary>
    public string Id
    {
        get
        {
            lock (_gate)
            {
                return _id;
            }
        }
    }

    /// <summary>The lock as other processes see it now: holder, kind, operation and times of the current object.</summary>
    public LockInfo Info
    {
        get
        {
            lock (_gate)
            {
                return new LockInfo
                {
                    Id = _id,
                    Host = _record.Host,
                    User = _record.User,
                    ProcessId = _record.ProcessId,
                    ProcessStart = _record.ProcessStart,
                    Exclusive = _record.Exclusive,
                    Operation = _record.Operation,
                    Created = _record.Created,
                    Refreshed = _record.Refreshed,
                    IsStale = false,
                };
            }
        }
    }

    /// <summary>True once the lock was lost (see the remarks); then <see cref="ThrowIfLost"/> throws.</summary>
    public bool IsLost
    {
        get
        {
            lock (_gate)
            {
                return _lostReason is not null;
            }
        }
    }

    /// <summary>
    /// Cancelled when the lock is lost. Link it with the operation's own token to stop at once; after the
    /// resulting <see cref="OperationCanceledException"/>, call <see cref="ThrowIfLost"/> to report why.
    /// </summary>
    public CancellationToken LostToken { get; }

    /// <summary>How many refreshes in a row have failed; 0 after a successful one.</summary>
    public int FailedRefreshes
    {
        get
        {
            lock (_gate)
            {
                return _failedRefreshes;
            }
        }
    }

    /// <summary>Throws when the lock was lost, so the operation stops before committing anything more.</summary>
    /// <exception cref="RepositoryLockLostException">The lock's object was removed by another process, or the lock
    /// could not be refreshed in time; the inner exception is the last refresh failure, if any.</exception>
    public void ThrowIfLost()
    {
        string? reason;
        Exception? cause;
        string id;
        lock (_gate)
        {
            reason = _lostReason;
            cause = _lostCause;
            id = _id;
        }

        if (reason is not null)
        {
            throw new RepositoryLockLostException(_manager.Backend.Location, id, _record.Operation, reason, cause);
        }
    }

    /// <summary>Stops refreshing and deletes the lock's objects, reporting a failure to delete.</summary>
    /// <param name="cancellationToken">Cancels the deletes; objects not deleted stay until a later call, or until
    /// they turn stale.</param>
    /// <returns>A task that completes when the lock's objects are gone.</returns>
    /// <exception cref="StorageException">An object could not be deleted. It turns stale by itself (when this
    /// process exits, or after <see cref="RepositoryLockOptions.StaleAfter"/>), and calling again retries.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Safe to call more than once, and after the lock was lost.</remarks>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        bool first;
        lock (_gate)
        {
            first = !_released;
            _released = true;
        }

        if (first)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        // Every caller waits: an object the loop is writing right now must be in _objects before the deletes.
        try
        {
            await _refreshLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        string[] objects;
        lock (_gate)
        {
            objects = [.. _objects];
        }

        StorageException? failure = null;
        foreach (var id in objects)
        {
            try
            {
                await _manager.Backend.DeleteAsync(RepositoryLockManager.ObjectName(id), cancellationToken)
                    .ConfigureAwait(false);
                lock (_gate)
                {
                    _objects.Remove(id);
                }
            }
            catch (StorageException ex)
            {
                failure ??= ex;
            }
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Stops refreshing and deletes the lock's objects. Never throws for a storage failure: an object left behind
    /// turns stale by itself and <c>forge repo unlock</c> removes it. Call <see cref="ReleaseAsync"/> instead to
    /// learn of such failures.
    /// </summary>
    /// <returns>A task that completes when the lock is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            // Documented: the object turns stale when this process exits.
        }

        _stop.Dispose();
        _lost.Dispose();
        _refreshing.Dispose();
    }

    internal void StartRefreshing() => _refreshLoop = RefreshLoopAsync(_stop.Token);

    /// <summary>One refresh, as the background loop does it; tests call it directly.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !IsLost)
        {
            try
            {
                await Task.Delay(_manager.Options.RefreshInterval, _manager.Time, cancellationToken)
                    .ConfigureAwait(false);
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RefreshCoreAsync(CancellationToken cancellationToken)
    {
        string oldId;
        LockRecord record;
        lock (_gate)
        {
            if (_released || _lostReason is not null)
            {
                return;
            }

            oldId = _id;
            record = _record;
        }

        var now = _manager.Time.GetUtcNow();
        try
        {
            var current = await _manager.Backend.StatAsync(RepositoryLockManager.ObjectName(oldId), cancellationToken)
                .ConfigureAwait(false);
            if (current is null)
            {
                await MarkLostAsync(
                    "its lock object was removed by another process (`forge repo unlock --remove-all`, or " +
                    "`forge repo unlock` while the lock looked stale)", null).ConfigureAwait(false);
                return;
            }

            var newId = RepositoryLockManager.NewId();
            var refreshed = record with { Refreshed = now };
            await _manager.WriteAsync(newId, refreshed, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _objects.Add(newId);
                _id = newId;
                _record = refreshed;
                _lastRefreshed = now;
                _failedRefreshes = 0;
                _lastFailure = null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Any failure, even a bug, counts against the lock, rather than silently ending the refreshes.
            await RecordFailureAsync(ex, now).ConfigureAwait(false);
            return;
        }

        await DeleteSupersededAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordFailureAsync(Exception failure, DateTimeOffset now)
    {
        int failed;
        DateTimeOffset lastRefreshed;
        lock (_gate)
        {
            failed = ++_failedRefreshes;
            _lastFailure = failure;
            lastRefreshed = _lastRefreshed;
        }

        // Give up when the next attempt would come too late: by then other processes may call the lock stale.
        var options = _manager.Options;
        if (now - lastRefreshed + options.RefreshInterval >= options.StaleAfter)
        {
            await MarkLostAsync(
                $"it could not be refreshed for {LockMessages.Duration(now - lastRefreshed)} ({failed} attempts " +
                $"failed, the last with the inner exception), and other processes treat a lock not refreshed for " +
                $"{LockMessages.Duration(options.StaleAfter)} as stale", failure).ConfigureAwait(false);
        }
    }

    private async Task MarkLostAsync(string reason, Exception? cause)
    {
        lock (_gate)
        {
            if (_lostReason is not null)
            {
                return;
            }

            _lostReason = reason;
            _lostCause = cause;
        }

        // Outside the gate: cancellation runs the callbacks of whoever linked the token.
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private async Task DeleteSupersededAsync(CancellationToken cancellationToken)
    {
        string[] superseded;
        lock (_gate)
        {
            superseded = [.. _objects.Where(id => id != _id)];
        }

        foreach (var id in superseded)
        {
            try
            {
                await _manager.Backend.DeleteAsync(RepositoryLockManager.ObjectName(id), cancellationToken)
                    .ConfigureAwait(false);
                lock (_gate)
                {
                    _objects.Remove(id);
                }
            }
            catch (StorageException)
            {
                // Kept in _objects: retried at the next refresh and on release. Meanwhile it only makes this
                // lock look held twice.
            }
        }
    }
}
