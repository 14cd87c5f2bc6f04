namespace ForgeOne.Core.Repository.Locking;

/// <summary>
/// A held <see cref="RepositoryLock"/> can no longer be relied on: its object was removed by another process, or
/// it could not be refreshed before other processes would judge it stale. Thrown by
/// <see cref="RepositoryLock.ThrowIfLost"/>.
/// </summary>
/// <remarks>
/// Another process may already have taken a conflicting lock (a prune, say), so the operation must stop without
/// committing anything. <see cref="IsTransient"/> is true: running the operation again may succeed. When refreshes
/// failed, the inner exception is the last failure.
/// </remarks>
public sealed class RepositoryLockLostException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The repository's storage location.</param>
    /// <param name="lockId">The lock's id when it was lost.</param>
    /// <param name="operation">The operation that held the lock.</param>
    /// <param name="reason">Why the lock was lost, as a sentence fragment.</param>
    /// <param name="innerException">The last refresh failure, if refreshes failed.</param>
    public RepositoryLockLostException(string location, string lockId, string operation, string reason,
        Exception? innerException = null)
        : base(
            $"The lock {LockMessages.ShortId(lockId)} that {LockMessages.Clean(operation)} holds on repository " +
            $"'{location}' was lost: {reason}. Another process may have taken the repository since, so " +
            $"{LockMessages.Clean(operation)} must stop without committing anything more. Run it again; if this " +
            "repeats, check the " +
            "connection to the storage, and that nobody removes live locks with `forge repo unlock --remove-all`.",
            innerException)
    {
        Location = location;
        LockId = lockId;
        Operation = operation;
        Reason = reason;
    }

    /// <summary>The repository's storage location.</summary>
    public string Location { get; }

    /// <summary>The lock's id when it was lost.</summary>
    public string LockId { get; }

    /// <summary>The operation that held the lock.</summary>
    public string Operation { get; }

    /// <summary>Why the lock was lost.</summary>
    public string Reason { get; }

    /// <summary>Always true: running the operation again may succeed.</summary>
    public override bool IsTransient => true;
}
