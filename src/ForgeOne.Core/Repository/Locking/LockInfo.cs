namespace ForgeOne.Core.Repository.Locking;

/// <summary>One lock in a repository, as read from its <c>locks/&lt;id&gt;</c> object, and whether it is stale.</summary>
/// <remarks>
/// <para>When <see cref="Problem"/> is set, the lock object could not be opened or parsed (tampered with, sealed
/// under another key, written by a newer ForgeOne). Such a lock is treated as held and exclusive: it blocks every
/// operation and is never judged stale, because nothing in it can be trusted. <see cref="Host"/>,
/// <see cref="User"/> and <see cref="Operation"/> are then empty, <see cref="ProcessId"/> is 0,
/// <see cref="ProcessStart"/>, <see cref="Created"/> and <see cref="Refreshed"/> are null, and
/// <see cref="Exclusive"/> is true. Only removing all locks clears it.</para>
/// <para>Times are UTC. Staleness is computed when the lock is read, against the reader's clock.</para>
/// </remarks>
public sealed record LockInfo
{
    /// <summary>The lock's id: 64 lower-case hex digits, the last segment of its object name <c>locks/&lt;id&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Host name of the machine that holds the lock; empty when the lock could not be read.</summary>
    public required string Host { get; init; }

    /// <summary>User name of the process that holds the lock; empty when the lock could not be read.</summary>
    public required string User { get; init; }

    /// <summary>Process id of the holder on <see cref="Host"/>; 0 when the lock could not be read.</summary>
    public required int ProcessId { get; init; }

    /// <summary>
    /// When the holder process started, to tell a reused process id apart; null when the holder's platform did not
    /// report it or the lock could not be read.
    /// </summary>
    public DateTimeOffset? ProcessStart { get; init; }

    /// <summary>True for an exclusive lock (prune), false for a shared one (backup, restore, check).</summary>
    public required bool Exclusive { get; init; }

    /// <summary>What the holder is doing, for example <c>backup</c>; empty when the lock could not be read.</summary>
    public required string Operation { get; init; }

    /// <summary>When the lock was first taken; null when the lock could not be read.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>When the holder last refreshed the lock; null when the lock could not be read.</summary>
    public DateTimeOffset? Refreshed { get; init; }

    /// <summary>
    /// True when the holder is gone: the lock was not refreshed for longer than
    /// <see cref="RepositoryLockOptions.StaleAfter"/>, or its process is no longer running on this host.
    /// </summary>
    public required bool IsStale { get; init; }

    /// <summary>Why the lock is stale, as a sentence fragment; null when it is not.</summary>
    public string? StaleReason { get; init; }

    /// <summary>Why the lock object could not be read, as a sentence fragment; null when it was read.</summary>
    public string? Problem { get; init; }
}
