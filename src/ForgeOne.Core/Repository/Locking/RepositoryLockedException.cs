using System.Globalization;
using System.Text;

namespace ForgeOne.Core.Repository.Locking;

/// <summary>
/// A repository lock could not be taken because other locks conflict with it: an exclusive lock (prune) needs the
/// repository to itself, and a shared lock (backup, restore, check) cannot coexist with an exclusive one.
/// </summary>
/// <remarks>
/// <para>The message lists every conflicting holder with host, user, process id, operation and age. Stale holders
/// (see <see cref="LockInfo.IsStale"/>) are marked as such with the command that removes them; stale locks are
/// never removed automatically. Locks that could not be read are listed as held, with the command that removes
/// every lock.</para>
/// <para><see cref="IsTransient"/> is true: the same call may succeed once the holders finish or stale locks are
/// removed.</para>
/// </remarks>
public sealed class RepositoryLockedException : ForgeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">The repository's storage location, for the message and the unlock command.</param>
    /// <param name="operation">The operation that wanted the lock, for example <c>prune</c>.</param>
    /// <param name="exclusive">Whether the wanted lock was exclusive.</param>
    /// <param name="holders">The conflicting locks; not empty.</param>
    /// <param name="now">The time the holders' ages are computed against.</param>
    /// <param name="concurrent">
    /// True when the conflict appeared only after this process had written its lock (another process was taking a
    /// lock at the same moment), and this process backed off.
    /// </param>
    /// <param name="innerException">Why a lock that could not be read failed to open, if one did.</param>
    /// <exception cref="ArgumentNullException">A string or <paramref name="holders"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="holders"/> is empty.</exception>
    public RepositoryLockedException(string location, string operation, bool exclusive, IReadOnlyList<LockInfo> holders,
        DateTimeOffset now, bool concurrent = false, Exception? innerException = null)
        : base(BuildMessage(location, operation, exclusive, holders, now, concurrent), innerException)
    {
        Location = location;
        Operation = operation;
        Exclusive = exclusive;
        Holders = holders;
        Concurrent = concurrent;
    }

    /// <summary>The repository's storage location.</summary>
    public string Location { get; }

    /// <summary>The operation that wanted the lock.</summary>
    public string Operation { get; }

    /// <summary>Whether the wanted lock was exclusive.</summary>
    public bool Exclusive { get; }

    /// <summary>The conflicting locks, oldest first; stale and unreadable ones included and marked.</summary>
    public IReadOnlyList<LockInfo> Holders { get; }

    /// <summary>True when another process took a conflicting lock at the same moment and this one backed off.</summary>
    public bool Concurrent { get; }

    /// <summary>Always true: the lock may be free later.</summary>
    public override bool IsTransient => true;

    private static string BuildMessage(string location, string operation, bool exclusive,
        IReadOnlyList<LockInfo> holders, DateTimeOffset now, bool concurrent)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(holders);
        if (holders.Count == 0)
        {
            throw new ArgumentException("A repository is locked only by at least one holder.", nameof(holders));
        }

        var wanted = exclusive ? "an exclusive" : "a shared";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Repository '{location}' is locked: {LockMessages.Clean(operation)} needs {wanted} lock, but ");
        text.Append(concurrent
            ? "another process took a conflicting lock at the same moment, so this one backed off and removed its own. Holders:"
            : holders.Count == 1 ? "this lock is held:" : $"these {holders.Count} locks are held:");
        foreach (var holder in holders)
        {
            text.AppendLine().Append("  - ").Append(LockMessages.Describe(holder, now));
        }

        text.AppendLine();
        var live = holders.Count(h => !h.IsStale && h.Problem is null);
        if (live > 0)
        {
            text.Append(live == 1 ? "Wait for that operation to finish, then retry. " : "Wait for those operations to finish, then retry. ");
        }

        if (holders.Any(h => h.IsStale))
        {
            text.Append("Stale locks are never removed automatically, because a process that is only slow would lose its lock. ");
            text.Append(LockMessages.StaleCommand(location));
        }

        if (holders.Any(h => h.Problem is not null))
        {
            text.Append(holders.Any(h => h.IsStale) ? " " : "")
                .Append("A lock that cannot be read is never judged stale. ")
                .Append(LockMessages.RemoveAllCommand(location));
        }

        return text.ToString().TrimEnd();
    }
}
